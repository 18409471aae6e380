using BpfSharp.Asm;
using BpfSharp.Btf.Ext;

namespace BpfSharp.Objects;

internal sealed partial class ObjectParser
{
    List<ProgramDefinition> LinkPrograms()
    {
        var programs = new List<ProgramDefinition>();
        foreach (Function main in functions)
            if (!main.IsSubprogram)
                programs.Add(new Linker(this, main).Link());
        return programs;
    }

    /// <summary>
    /// Builds one program: the entry function, then every subprogram it reaches, each appended the first time a
    /// call or callback address refers to it (libbpf's order, so instruction counts match), with its relocations
    /// applied and its .BTF.ext records shifted to where it landed.
    /// </summary>
    sealed class Linker(ObjectParser parser, Function main)
    {
        readonly List<Instruction> instructions = [];
        readonly Dictionary<Function, (int Slot, int Index)> placed = [];
        readonly Dictionary<string, int> functionStarts = new(StringComparer.Ordinal);
        readonly List<FuncInfoRecord> funcInfo = [];
        readonly List<LineInfoRecord> lineInfo = [];
        readonly List<CoreRelocationRecord> coreRelocations = [];
        readonly List<RelocationRecord> relocations = [];
        bool funcInfoDropped, lineInfoDropped;
        int slots;

        public ProgramDefinition Link()
        {
            Place(main);
            // An explicit stack instead of recursion: call chains in a hostile object can be as deep as it has functions.
            var stack = new Stack<(Function Function, int Next)>();
            stack.Push((main, 0));
            AddExtInfo(main);
            while (stack.Count > 0)
            {
                var (function, next) = stack.Pop();
                Function? callee = ProcessFrom(function, next, out int resumeAt);
                if (callee is null) continue;
                stack.Push((function, resumeAt));
                stack.Push((callee, 0));
                AddExtInfo(callee);
            }
            AddSourceLocations();

            string section = main.SectionName.StartsWith('?') ? main.SectionName[1..] : main.SectionName;
            SectionConvention? convention = SectionConventions.Find(section);
            return new ProgramDefinition
            {
                Name = main.Name,
                SectionName = section,
                Type = convention?.ProgramType ?? Abi.BpfProgramType.Unspec,
                ExpectedAttachType = convention?.ExpectedAttachType,
                AttachTarget = convention?.TargetOf(section),
                Convention = convention?.Pattern,
                Flags = convention?.LoadFlags ?? 0,
                Autoload = !main.SectionName.StartsWith('?'),
                Instructions = [.. instructions],
                Functions = functionStarts,
                FuncInfo = funcInfoDropped ? [] : funcInfo,
                LineInfo = lineInfoDropped ? [] : lineInfo,
                CoreRelocations = coreRelocations,
                Relocations = relocations,
            };
        }

        void Place(Function function)
        {
            placed[function] = (slots, instructions.Count);
            functionStarts[function.Name] = instructions.Count;
            for (int i = 0; i < function.Instructions.Length; i++)
                instructions.Add(i == 0 ? function.Instructions[0].WithSymbol(function.Name) : function.Instructions[i]);
            slots += function.SlotCount;
        }

        /// <summary>
        /// Relocates <paramref name="function"/>'s instructions from <paramref name="next"/> on. Returns a subprogram
        /// met for the first time (already appended; the caller processes it, then resumes at <paramref name="resumeAt"/>),
        /// or null when the function is done.
        /// </summary>
        Function? ProcessFrom(Function function, int next, out int resumeAt)
        {
            var (baseSlot, baseIndex) = placed[function];
            for (int i = next; i < function.Instructions.Length; i++)
            {
                int local = function.SlotOfIndex[i];
                int at = baseIndex + i;
                function.Relocations.TryGetValue(local, out PendingRelocation? relocation);
                if (relocation is not null)
                    ApplyData(function, relocation, at, baseSlot + local);

                Instruction insn = instructions[at];
                bool isCall = insn.IsCall && insn.Src == (Register)(byte)CallKind.Subprogram && relocation?.Kind != PendingKind.ExternCall;
                bool isAddress = relocation?.Kind == PendingKind.SubprogramAddress;
                if (!isCall && !isAddress) continue;

                long targetSlot = relocation?.Kind switch
                {
                    PendingKind.Call => (long)(relocation.SymbolValue / Instruction.SlotSize) + insn.Immediate + 1,
                    PendingKind.SubprogramAddress => ((long)relocation.SymbolValue + insn.Immediate) / Instruction.SlotSize,
                    null when function.IsSubprogram => function.StartSlot + local + (long)insn.Immediate + 1,
                    null => throw new ObjectFormatException(
                        $"{function}, instruction {i}: calls slot {local + insn.Immediate + 1} of its own section without a relocation; called functions must be in .text (plain functions without SEC())."),
                    _ => throw new ObjectFormatException($"{function}, instruction {i}: a {relocation.Kind} relocation on a BPF-to-BPF call."),
                };
                Function callee = parser.FunctionAt(parser.textIndex, targetSlot) is { } f && f.StartSlot == targetSlot
                    ? f
                    : throw new ObjectFormatException(
                        $"{function}, instruction {i} ('{insn}'): {(isAddress ? "takes the address of" : "calls")} slot {targetSlot} of .text, where no function starts.");

                bool first = !placed.ContainsKey(callee);
                if (first) Place(callee);
                int calleeSlot = placed[callee].Slot;
                if (isAddress) insn = insn with { Src = (Register)(byte)LoadImm64Source.Function };
                instructions[at] = insn.WithRelativeTarget(calleeSlot - (baseSlot + local) - 1).WithReference(callee.Name);
                if (relocation is not null)
                    relocations.Add(new RelocationRecord(baseSlot + local, relocation.Symbol, relocation.SymbolSection,
                        isAddress ? RelocationTarget.CallbackAddress : RelocationTarget.Subprogram));
                if (first)
                {
                    resumeAt = i + 1;
                    return callee;
                }
            }
            resumeAt = function.Instructions.Length;
            return null;
        }

        /// <summary>Applies a map, global-data or extern relocation: what only the loader can fill in is left as a reference.</summary>
        void ApplyData(Function function, PendingRelocation relocation, int at, int slot)
        {
            Instruction insn = instructions[at];
            RelocationTarget target;
            switch (relocation.Kind)
            {
                case PendingKind.Map:
                    insn = (insn with { Src = (Register)(byte)LoadImm64Source.MapFd, Constant = 0 }).WithReference(relocation.Target);
                    target = RelocationTarget.Map;
                    break;
                case PendingKind.Data:
                    insn = (insn with { Src = (Register)(byte)LoadImm64Source.MapValue, Constant = (long)relocation.DataOffset << 32 }).WithReference(relocation.Target);
                    target = RelocationTarget.GlobalData;
                    break;
                case PendingKind.ExternCall:
                    insn = (insn with { Src = (Register)(byte)CallKind.Kfunc, Constant = 0, Offset = 0 }).WithReference(relocation.Target);
                    target = RelocationTarget.KsymFunction;
                    break;
                case PendingKind.ExternLoad:
                    ExternDefinition ext = parser.externsByName[relocation.Target!];
                    if (ext.Kind == ExternKind.Kconfig)
                    {
                        insn = (insn with { Src = (Register)(byte)LoadImm64Source.MapValue, Constant = (long)ext.Offset << 32 }).WithReference(KconfigSection);
                        target = RelocationTarget.KconfigExtern;
                    }
                    else
                    {
                        insn = (insn with { Src = (Register)(byte)LoadImm64Source.BtfId, Constant = 0 }).WithReference(ext.Name);
                        target = RelocationTarget.KsymVariable;
                    }
                    break;
                default:
                    return; // calls and callback addresses: linked by ProcessFrom
            }
            instructions[at] = insn;
            relocations.Add(new RelocationRecord(slot, relocation.Symbol, relocation.SymbolSection, target));
        }

        /// <summary>Adds <paramref name="function"/>'s func_info, line_info and CO-RE records, shifted to where it was placed.</summary>
        void AddExtInfo(Function function)
        {
            BtfExt? ext = parser.btfExt;
            if (ext is null) return;
            int shift = placed[function].Slot - function.StartSlot;

            if (!funcInfoDropped)
            {
                int before = funcInfo.Count;
                foreach (BtfFuncInfo f in RecordsOf(ext.FuncInfo, function, r => r.Offset))
                    funcInfo.Add(new FuncInfoRecord((int)(f.Offset / Instruction.SlotSize) + shift, f.TypeId));
                if (funcInfo.Count == before)
                {
                    if (function != main)
                        throw new ObjectFormatException($"{function} has no .BTF.ext function info while program '{main.Name}' has; the object is inconsistent, recompile it.");
                    funcInfoDropped = true; // libbpf: no func info for the main program, none for the rest
                    parser.warnings.Add($"program '{main.Name}': no .BTF.ext function info; loading it without func_info.");
                }
            }
            if (!lineInfoDropped)
            {
                int before = lineInfo.Count;
                foreach (BtfLineInfo l in RecordsOf(ext.LineInfo, function, r => r.Offset))
                    lineInfo.Add(new LineInfoRecord((int)(l.Offset / Instruction.SlotSize) + shift, l.FileName, l.LineText, (int)l.Line, (int)l.Column)
                    {
                        FileNameOffset = l.FileNameOffset,
                        LineTextOffset = l.LineTextOffset,
                    });
                if (lineInfo.Count == before)
                {
                    if (function != main)
                        throw new ObjectFormatException($"{function} has no .BTF.ext line info while program '{main.Name}' has; the object is inconsistent, recompile it.");
                    lineInfoDropped = true;
                    parser.warnings.Add($"program '{main.Name}': no .BTF.ext line info; loading it without line_info.");
                }
            }
            foreach (BtfCoreRelocation c in RecordsOf(ext.CoreRelocations, function, r => r.Offset))
            {
                if (c.Offset % Instruction.SlotSize != 0)
                    throw new ObjectFormatException($"{function}: a CO-RE relocation at byte {c.Offset} is not on an instruction boundary.");
                coreRelocations.Add(new CoreRelocationRecord((int)(c.Offset / Instruction.SlotSize) + shift, c.TypeId, c.AccessString, c.Kind));
            }
        }

        static IEnumerable<T> RecordsOf<T>(IReadOnlyList<BtfExtSection<T>> sections, Function function, Func<T, uint> offset)
        {
            foreach (BtfExtSection<T> section in sections)
            {
                if (section.SectionName != function.SectionName) continue;
                foreach (T record in section.Records)
                {
                    long slot = offset(record) / Instruction.SlotSize;
                    if (slot >= function.StartSlot && slot < function.StartSlot + function.SlotCount)
                        yield return record;
                }
            }
        }

        /// <summary>Puts each line_info record's location on its instruction, for disassembly and verifier messages.</summary>
        void AddSourceLocations()
        {
            if (lineInfoDropped || lineInfo.Count == 0) return;
            var indexOfSlot = new Dictionary<int, int>(instructions.Count);
            for (int i = 0, slot = 0; i < instructions.Count; slot += instructions[i].Width, i++)
                indexOfSlot[slot] = i;
            foreach (LineInfoRecord line in lineInfo)
                if (indexOfSlot.TryGetValue(line.Slot, out int index))
                    instructions[index] = instructions[index].WithSource(new SourceLocation(line.FileName, line.Line, line.Column, line.LineText));
        }
    }
}
