using BpfSharp.Asm;
using BpfSharp.Compiler.Backend;
using BpfSharp.Compiler.Diagnostics;
using BpfSharp.Compiler.IR;
using BpfSharp.Elf;

namespace BpfSharp.Compiler.Emit;

/// <summary>What a relocation in a code section refers to.</summary>
internal enum RelocationTargetKind { TextSection, Map, Global, Kfunc }

/// <summary>A relocation in a code section, before ELF symbol ids exist.</summary>
internal readonly record struct CodeRelocation(int ByteOffset, RelocationTargetKind Kind, string Name, BpfRelocationType Type);

/// <summary>One function placed in its section: where it starts and, per instruction, its slot.</summary>
internal sealed record PlacedFunction(CompiledFunction Compiled, CodeSection Section, int StartSlot, int[] SlotOfIndex)
{
    public IrFunction Function => Compiled.Function;
    public string Name => Function.Name;
    public int SlotCount => SlotOfIndex.Length == 0 ? 0 : SlotOfIndex[^1] + Compiled.Instructions[^1].Width;
}

/// <summary>An executable ELF section: <c>.text</c> (subprograms) or one program section.</summary>
internal sealed class CodeSection(string name)
{
    public string Name { get; } = name;
    public bool IsText => Name == ".text";
    public List<PlacedFunction> Functions { get; } = [];
    public int Slots { get; set; }
    public byte[] Bytes { get; set; } = [];
    public List<CodeRelocation> Relocations { get; } = [];
}

/// <summary>
/// Places functions in sections the way clang does (subprograms in <c>.text</c>, each program in its section),
/// encodes them, and turns the references the backend left in instruction metadata into ELF relocations:
/// maps and globals (<c>R_BPF_64_64</c> on <c>ld_imm64</c>, src_reg 0, the offset into a global in the low imm),
/// calls into <c>.text</c> from another section (<c>R_BPF_64_32</c> against the <c>.text</c> section symbol, imm =
/// target slot − 1), calls inside <c>.text</c> resolved in place, callback addresses (<c>R_BPF_64_64</c> against
/// <c>.text</c>, imm = byte offset) and kfunc calls (<c>R_BPF_64_32</c> against an undefined symbol, imm −1).
/// </summary>
internal sealed class CodeLayout
{
    public List<CodeSection> Sections { get; } = [];
    public Dictionary<string, PlacedFunction> Functions { get; } = new(StringComparer.Ordinal);
    public HashSet<string> UsedKfuncs { get; } = new(StringComparer.Ordinal);

    /// <summary>Places and links; unresolvable references are reported and leave the layout unusable (check the bag).</summary>
    public static CodeLayout Build(IReadOnlyList<CompiledFunction> functions, ISet<string> maps, ISet<string> globals,
        ISet<string> kfuncs, Action<DiagnosticDescriptor, SourceLocation?, object?[]> report)
    {
        var layout = new CodeLayout();
        var text = new CodeSection(".text");
        var bySection = new Dictionary<string, CodeSection>(StringComparer.Ordinal);
        foreach (CompiledFunction f in functions.Where(f => !f.Function.IsProgram)) layout.Place(f, text);
        if (text.Functions.Count > 0) layout.Sections.Add(text);
        foreach (CompiledFunction f in functions.Where(f => f.Function.IsProgram))
        {
            if (!bySection.TryGetValue(f.Function.Section!, out CodeSection? section))
            {
                bySection[f.Function.Section!] = section = new CodeSection(f.Function.Section!);
                layout.Sections.Add(section);
            }
            layout.Place(f, section);
        }
        foreach (CodeSection section in layout.Sections) layout.Link(section, maps, globals, kfuncs, report);
        return layout;
    }

    void Place(CompiledFunction compiled, CodeSection section)
    {
        Instruction[] code = compiled.Instructions;
        var slots = new int[code.Length];
        int slot = 0;
        for (int i = 0; i < code.Length; i++)
        {
            slots[i] = slot;
            slot += code[i].Width;
        }
        var placed = new PlacedFunction(compiled, section, section.Slots, slots);
        section.Functions.Add(placed);
        section.Slots += slot;
        Functions[compiled.Function.Name] = placed;
    }

    void Link(CodeSection section, ISet<string> maps, ISet<string> globals, ISet<string> kfuncs,
        Action<DiagnosticDescriptor, SourceLocation?, object?[]> report)
    {
        var linked = new Instruction[section.Functions.Sum(f => f.Compiled.Instructions.Length)];
        int n = 0;
        foreach (PlacedFunction function in section.Functions)
        {
            Instruction[] code = function.Compiled.Instructions;
            for (int i = 0; i < code.Length; i++)
            {
                Instruction insn = code[i];
                int slot = function.StartSlot + function.SlotOfIndex[i];
                if (insn.Reference is { } reference && (insn.IsLoadImm64 || insn.IsBpfCall || insn.IsKfuncCall))
                    insn = Relocate(insn, reference, section, slot, function, maps, globals, kfuncs, report);
                linked[n++] = insn.WithMetadata(null);
            }
        }
        section.Bytes = InstructionEncoder.Encode(linked);
    }

    Instruction Relocate(Instruction insn, string reference, CodeSection section, int slot, PlacedFunction caller,
        ISet<string> maps, ISet<string> globals, ISet<string> kfuncs, Action<DiagnosticDescriptor, SourceLocation?, object?[]> report)
    {
        int byteOffset = slot * Instruction.SlotSize;
        void Unresolved(string what) => report(DiagnosticCatalog.InternalError, insn.Source ?? caller.Function.Source,
            [caller.Name, $"instruction '{insn}' refers to {what} '{reference}', which the module does not define"]);

        if (insn.IsKfuncCall || (insn.IsBpfCall && kfuncs.Contains(reference) && !Functions.ContainsKey(reference)))
        {
            if (!kfuncs.Contains(reference)) { Unresolved("the kfunc"); return insn; }
            UsedKfuncs.Add(reference);
            section.Relocations.Add(new CodeRelocation(byteOffset, RelocationTargetKind.Kfunc, reference, BpfRelocationType.Call32));
            return insn with { Src = (Register)(byte)CallKind.Subprogram, Offset = 0, Constant = -1 };
        }
        if (insn.IsBpfCall || (insn.IsLoadImm64 && insn.LoadImm64Source == LoadImm64Source.Function))
        {
            bool isCall = insn.IsBpfCall;
            if (!Functions.TryGetValue(reference, out PlacedFunction? callee)) { Unresolved("the function"); return insn; }
            if (!callee.Section.IsText)
            {
                report(DiagnosticCatalog.InternalError, insn.Source ?? caller.Function.Source,
                    [caller.Name, $"'{insn}' {(isCall ? "calls" : "takes the address of")} program '{reference}'; only subprograms (in .text) can be called or used as callbacks"]);
                return insn;
            }
            if (isCall && section.IsText) return insn with { Constant = callee.StartSlot - (slot + 1) };
            if (isCall)
            {
                section.Relocations.Add(new CodeRelocation(byteOffset, RelocationTargetKind.TextSection, ".text", BpfRelocationType.Call32));
                return insn with { Constant = callee.StartSlot - 1 };
            }
            section.Relocations.Add(new CodeRelocation(byteOffset, RelocationTargetKind.TextSection, ".text", BpfRelocationType.Imm64));
            return insn with { Src = (Register)(byte)LoadImm64Source.Constant, Constant = (uint)(callee.StartSlot * Instruction.SlotSize) };
        }
        if (insn.LoadImm64Source == LoadImm64Source.MapFd)
        {
            if (!maps.Contains(reference)) { Unresolved("the map"); return insn; }
            section.Relocations.Add(new CodeRelocation(byteOffset, RelocationTargetKind.Map, reference, BpfRelocationType.Imm64));
            return insn with { Src = (Register)(byte)LoadImm64Source.Constant, Constant = 0 };
        }
        if (insn.LoadImm64Source == LoadImm64Source.MapValue)
        {
            if (!globals.Contains(reference)) { Unresolved("the global variable"); return insn; }
            section.Relocations.Add(new CodeRelocation(byteOffset, RelocationTargetKind.Global, reference, BpfRelocationType.Imm64));
            // libbpf and our loader add the symbol's offset to the low imm and move the sum to the high half.
            return insn with { Src = (Register)(byte)LoadImm64Source.Constant, Constant = (uint)insn.MapValueOffset };
        }
        return insn; // a plain constant whose reference is only a comment
    }
}
