using BpfSharp.Asm;
using BpfSharp.Elf;

namespace BpfSharp.Objects;

internal sealed partial class ObjectParser
{
    /// <summary>One function of an executable section: an entry-point program, or a subprogram in <c>.text</c>.</summary>
    internal sealed class Function
    {
        public required string Name;
        public required int Section;
        public required string SectionName;
        /// <summary>Where the function starts in its section, in 8-byte slots (libbpf's sec_insn_off).</summary>
        public required int StartSlot;
        public required int SlotCount;
        public required Instruction[] Instructions;
        /// <summary>Instruction index for each slot of the function; -1 for the second half of a ld_imm64.</summary>
        public required int[] IndexOfSlot;
        public required int[] SlotOfIndex;
        public bool IsSubprogram;
        /// <summary>Global with hidden visibility: its BTF FUNC is made static, as libbpf does.</summary>
        public bool IsHiddenGlobal;
        /// <summary>Relocations by slot within the function.</summary>
        public readonly SortedDictionary<int, PendingRelocation> Relocations = [];

        public override string ToString() =>
            IsSubprogram ? $"subprogram '{Name}' (section '{SectionName}')" : $"program '{Name}' (section '{SectionName}')";
    }

    internal enum PendingKind { Call, SubprogramAddress, Map, Data, ExternCall, ExternLoad }

    /// <summary>A relocation recorded against a function's instruction, applied when the function is linked into a program.</summary>
    internal sealed record PendingRelocation(PendingKind Kind, string Symbol, string SymbolSection, ulong SymbolValue, string? Target = null, int DataOffset = 0);

    /// <summary>All functions, ordered by section and start (libbpf's program order).</summary>
    readonly List<Function> functions = [];
    readonly Dictionary<int, List<Function>> functionsBySection = [];

    void CollectFunctions()
    {
        for (int i = 0; i < symbols.Length; i++)
        {
            Symbol symbol = symbols[i];
            if (symbol.Elf.Type != ElfSymbolType.Func || !symbol.Elf.IsInSection) continue;
            int section = symbol.SectionIndex;
            if (section >= sections.Length)
                throw new ObjectFormatException($"function '{symbol.Name}' (symbol {i}) is in section {section}, which does not exist ({sections.Length} sections); the object is corrupt, recompile it.");
            if (kinds[section] is not (SectionKind.Program or SectionKind.Text)) continue;
            functions.Add(ReadFunction(symbol, i));
        }
        functions.Sort((a, b) => a.Section != b.Section ? a.Section.CompareTo(b.Section) : a.StartSlot.CompareTo(b.StartSlot));
        foreach (Function f in functions)
        {
            if (!functionsBySection.TryGetValue(f.Section, out var list)) functionsBySection[f.Section] = list = [];
            list.Add(f);
        }
    }

    Function ReadFunction(Symbol symbol, int symbolIndex)
    {
        ElfSection section = sections[symbol.SectionIndex];
        string where = $"function '{symbol.Name}' (section '{section.Name}')";
        ulong offset = symbol.Value, size = symbol.Elf.Size;
        if (size == 0 || size % Instruction.SlotSize != 0 || offset % Instruction.SlotSize != 0)
            throw new ObjectFormatException(
                $"{where}: offset {offset} and size {size} are not whole, non-empty 8-byte instruction slots; the object is corrupt, recompile it.");
        if (offset > section.Size || size > section.Size - offset)
            throw new ObjectFormatException($"{where}: [{offset}, {offset + size}) crosses the end of its section ({section.Size} bytes); the object is corrupt, recompile it.");
        bool isText = symbol.SectionIndex == textIndex;
        if (!isText && symbol.Elf.Binding == ElfSymbolBinding.Local)
            throw new ObjectFormatException(
                $"program '{symbol.Name}' in section '{section.Name}' is static; entry-point programs must be global: remove 'static' (libbpf refuses static programs too).");

        Instruction[] instructions;
        try
        {
            instructions = InstructionDecoder.Decode(Data(section).Slice((int)offset, (int)size));
        }
        catch (BpfAsmException e)
        {
            throw new BpfAsmException($"{where}: {e.Message}", e);
        }
        int slots = (int)(size / Instruction.SlotSize);
        var indexOfSlot = new int[slots];
        var slotOfIndex = new int[instructions.Length];
        for (int i = 0, slot = 0; i < instructions.Length; slot += instructions[i].Width, i++)
        {
            slotOfIndex[i] = slot;
            indexOfSlot[slot] = i;
            if (instructions[i].Width == 2) indexOfSlot[slot + 1] = -1;
        }
        return new Function
        {
            Name = symbol.Name,
            Section = symbol.SectionIndex,
            SectionName = section.Name,
            StartSlot = (int)(offset / Instruction.SlotSize),
            SlotCount = slots,
            Instructions = instructions,
            IndexOfSlot = indexOfSlot,
            SlotOfIndex = slotOfIndex,
            IsSubprogram = isText,
            IsHiddenGlobal = symbol.Elf.IsHiddenGlobal,
        };
    }

    /// <summary>The function of <paramref name="section"/> that contains <paramref name="slot"/>, or null.</summary>
    Function? FunctionAt(int section, long slot)
    {
        if (!functionsBySection.TryGetValue(section, out var list)) return null;
        int lo = 0, hi = list.Count - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) / 2;
            Function f = list[mid];
            if (slot < f.StartSlot) hi = mid - 1;
            else if (slot >= f.StartSlot + f.SlotCount) lo = mid + 1;
            else return f;
        }
        return null;
    }

    /// <summary>Records every relocation of the executable sections against the function and slot it applies to (libbpf's bpf_program__record_reloc).</summary>
    void RecordProgramRelocations()
    {
        ElfFile elf = ElfFile.Parse(file);
        foreach (ElfSection relocationSection in sections)
        {
            if (relocationSection.Index == 0 || kinds[relocationSection.Index] != SectionKind.Relocations) continue;
            if (relocationSection.Link != (uint)symbolTableIndex)
                throw new ObjectFormatException($"relocation section '{relocationSection.Name}' refers to section {relocationSection.Link} as its symbol table; the object's symbol table is section {symbolTableIndex}.");
            ElfRelocationTable table = elf.GetRelocations(relocationSection);
            ElfSection target = sections[table.TargetSectionIndex];
            if (!target.IsExecutable) continue; // .rel.maps and .rel.struct_ops: see ApplyMapRelocations
            for (int r = 0; r < table.Count; r++)
                Record(relocationSection, target, table[r]);
        }
    }

    void Record(ElfSection relocationSection, ElfSection target, ElfRelocation relocation)
    {
        string entry = $"relocation {relocation.Index} of '{relocationSection.Name}'";
        Symbol symbol = GetSymbol(relocation.SymbolIndex, entry);
        if (symbol.Elf.IsInSection && symbol.SectionIndex >= sections.Length)
            throw new ObjectFormatException($"{entry}: symbol '{symbol.Name}' is in section {symbol.SectionIndex}, which does not exist; the object is corrupt, recompile it.");
        if (relocation.Offset % Instruction.SlotSize != 0 || relocation.Offset >= target.Size)
            throw new ObjectFormatException($"{entry}: offset 0x{relocation.Offset:x} is not an instruction of section '{target.Name}' ({target.Size} bytes); the object is corrupt, recompile it.");
        long sectionSlot = (long)(relocation.Offset / Instruction.SlotSize);
        Function? function = FunctionAt(target.Index, sectionSlot);
        if (function is null) return; // not in any function: libbpf skips it too (an overridden weak function)

        int slot = (int)(sectionSlot - function.StartSlot);
        int index = function.IndexOfSlot[slot];
        string name = DisplayName(symbol);
        if (index < 0)
            throw new ObjectFormatException($"{function}: {entry} against '{name}' points into the middle of the ld_imm64 at slot {slot - 1}; the object is corrupt, recompile it.");
        Instruction insn = function.Instructions[index];
        string at = $"{function}, instruction {index} ('{insn}')";
        if (!insn.IsCall && !insn.IsLoadImm64)
            throw new ObjectFormatException($"{at}: relocation against '{name}' on an instruction that is neither a call nor a ld_imm64; only those can be relocated.");

        string symbolSection = symbol.Elf.IsInSection ? SectionName(symbol.SectionIndex) : "";
        function.Relocations[slot] = Classify();

        PendingRelocation Classify()
        {
            if (IsExtern(symbol.Elf))
            {
                if (!externsBySymbol.TryGetValue(relocation.SymbolIndex, out ExternDefinition? ext))
                    throw new ObjectFormatException(
                        $"{at}: refers to '{name}', which is not defined in this object and has no BTF extern declaration; define it, or declare it with __ksym (kernel symbol or kfunc) or __kconfig and compile with -g.");
                if (insn.IsCall)
                {
                    if (ext.Kind != ExternKind.KsymFunction)
                        throw new ObjectFormatException($"{at}: calls '{name}', but that extern is {Describe(ext.Kind)}, not a kernel function.");
                    return new PendingRelocation(PendingKind.ExternCall, name, "", 0, ext.Name);
                }
                if (ext.Kind == ExternKind.KsymFunction)
                    throw new ObjectFormatException($"{at}: takes the address of kfunc '{name}'; kfuncs can only be called.");
                return new PendingRelocation(PendingKind.ExternLoad, name, "", 0, ext.Name);
            }

            if (insn.IsCall)
            {
                if (insn.Src != (Register)(byte)CallKind.Subprogram)
                    throw new ObjectFormatException($"{at}: a relocated call against '{name}' must be a BPF-to-BPF call (src_reg 1), not src_reg {(byte)insn.Src}.");
                if (symbol.SectionIndex != textIndex || textIndex < 0)
                    throw new ObjectFormatException(
                        $"{at}: calls '{name}' in section '{symbolSection}'; called functions must be in .text (plain functions without SEC()), not in a program section.");
                if (symbol.Value % Instruction.SlotSize != 0)
                    throw new ObjectFormatException($"{at}: calls '{name}' at byte {symbol.Value} of .text, which is not an instruction boundary.");
                return new PendingRelocation(PendingKind.Call, name, symbolSection, symbol.Value);
            }

            if (!symbol.Elf.IsInSection)
                throw new ObjectFormatException(
                    $"{at}: relocation against '{name}' in special section 0x{symbol.SectionIndex:x}; a global variable without an initialiser compiled with -fcommon? Initialise it or compile with -fno-common.");
            if (symbol.SectionIndex == textIndex && IsSubprogramSymbol(symbol.Elf))
            {
                if (symbol.Value % Instruction.SlotSize != 0 || insn.Immediate % Instruction.SlotSize != 0)
                    throw new ObjectFormatException($"{at}: the address of '{name}' (+{insn.Immediate}) is not an instruction boundary.");
                return new PendingRelocation(PendingKind.SubprogramAddress, name, symbolSection, symbol.Value);
            }
            if (symbol.SectionIndex == btfMapsIndex || symbol.SectionIndex == legacyMapsIndex)
            {
                MapLocation map = FindMapAt(symbol.SectionIndex, symbol.Value)
                    ?? FindMapAt(symbol.SectionIndex, symbol.Value + (ulong)(uint)insn.Immediate)
                    ?? throw new ObjectFormatException($"{at}: refers to '{name}' at offset {symbol.Value} of '{symbolSection}', where no map is defined.");
                return new PendingRelocation(PendingKind.Map, name, symbolSection, symbol.Value, map.Name);
            }
            if (dataMapsBySection.TryGetValue(symbol.SectionIndex, out MapDefinition? data))
            {
                long offset = insn.Immediate + (long)symbol.Value;
                if (offset < 0 || offset > data.ValueSize)
                    throw new ObjectFormatException($"{at}: refers to '{name}' at offset {offset} of '{symbolSection}', outside its {data.ValueSize} bytes.");
                return new PendingRelocation(PendingKind.Data, name, symbolSection, symbol.Value, data.Name, (int)offset);
            }
            if (kinds[symbol.SectionIndex] is SectionKind.Data or SectionKind.ReadOnlyData or SectionKind.Bss)
                throw new ObjectFormatException($"{at}: refers to '{name}' in empty section '{symbolSection}'.");
            if (kinds[symbol.SectionIndex] == SectionKind.Arena)
                throw new ObjectFormatException($"{at}: refers to arena variable '{name}' (__arena globals); arena global data is not supported yet.");
            throw new ObjectFormatException(
                $"{at}: refers to '{name}' in section '{symbolSection}', which is neither a map section (.maps) nor global data (.data, .rodata, .bss and their .* variants).");
        }
    }

    /// <summary>libbpf's sym_is_subprog: a .text section symbol (static functions) or a global/weak function.</summary>
    static bool IsSubprogramSymbol(in ElfSymbol s) =>
        (s.Binding == ElfSymbolBinding.Local && s.Type == ElfSymbolType.Section)
        || (s.Binding is ElfSymbolBinding.Global or ElfSymbolBinding.Weak && s.Type == ElfSymbolType.Func);

    static string Describe(ExternKind kind) => kind switch
    {
        ExternKind.Kconfig => "a kconfig value",
        ExternKind.KsymVariable => "a kernel variable",
        _ => "a kernel function",
    };
}
