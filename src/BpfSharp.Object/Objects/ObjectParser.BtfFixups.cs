using BpfSharp.Btf;
using BpfSharp.Elf;

namespace BpfSharp.Objects;

internal sealed partial class ObjectParser
{
    /// <summary>
    /// Fills in what clang leaves zero in data-section DATASECs: the size (from the ELF section) and each global
    /// VAR's offset (from its symbol); global VARs with hidden visibility become static. Every DATASEC ends sorted
    /// by offset, as the kernel requires.
    /// </summary>
    void FixDataSections()
    {
        if (rawBtf is null) return;
        for (uint id = 1; id < rawBtf.Count; id++)
        {
            if (rawBtf.Kind(id) != BtfKind.DataSection) continue;
            string name = rawBtf.Name(id);
            if (name is not (KconfigSection or KsymsSection))
                FixDataSection(id, name);
            rawBtf.SortDatasec(id);
        }
    }

    void FixDataSection(uint id, string name)
    {
        bool fixOffsets = false;
        if (rawBtf!.SizeOrType(id) == 0)
        {
            ElfSection? section = FindSection(name);
            if (section is null || section.Size == 0)
                throw new ObjectFormatException(
                    $"BTF DATASEC '{name}' has size 0 and the object has no non-empty section '{name}' to take it from; the object is inconsistent, recompile it.");
            if (section.Size > uint.MaxValue)
                throw new ObjectFormatException($"section '{name}' is {section.Size} bytes, more than a BTF DATASEC can describe.");
            rawBtf.SetSizeOrType(id, (uint)section.Size);
            fixOffsets = true;
        }
        for (int i = 0; i < rawBtf.Vlen(id); i++)
        {
            var entry = rawBtf.DatasecEntry(id, i);
            if (rawBtf.Kind(entry.Type) != BtfKind.Var)
                throw new ObjectFormatException($"BTF DATASEC '{name}' entry {i} is type [{entry.Type}] of kind {rawBtf.Kind(entry.Type)}, not a VAR.");
            uint linkage = rawBtf.VarLinkage(entry.Type);
            if (linkage is VarStatic or VarExtern) continue;
            string varName = rawBtf.Name(entry.Type);
            if (!GlobalObjects().TryGetValue(varName, out Symbol symbol))
                throw new ObjectFormatException($"BTF DATASEC '{name}' has global VAR '{varName}' but the symbol table has no global object of that name; the object is inconsistent, recompile it.");
            if (fixOffsets)
            {
                if (symbol.Value > uint.MaxValue)
                    throw new ObjectFormatException($"symbol '{varName}' is at offset {symbol.Value}, beyond what BTF can describe.");
                rawBtf.SetDatasecEntry(id, i, entry with { Offset = (uint)symbol.Value });
            }
            if (symbol.Elf.IsHiddenGlobal)
                rawBtf.SetVarLinkage(entry.Type, VarStatic);
        }
    }

    Dictionary<string, Symbol>? globalObjects;

    /// <summary>Global and weak data symbols by name (the first of each name, as libbpf's linear search finds it).</summary>
    Dictionary<string, Symbol> GlobalObjects()
    {
        if (globalObjects is not null) return globalObjects;
        globalObjects = new Dictionary<string, Symbol>(StringComparer.Ordinal);
        foreach (Symbol s in symbols)
            if (s.Elf.Type == ElfSymbolType.Object && s.Elf.Binding is ElfSymbolBinding.Global or ElfSymbolBinding.Weak)
                globalObjects.TryAdd(s.Name, s);
        return globalObjects;
    }

    /// <summary>Hidden global subprograms are verified like static ones: their BTF FUNC becomes static, as libbpf does before loading.</summary>
    void MarkHiddenSubprogramsStatic()
    {
        if (rawBtf is null) return;
        foreach (Function f in functions)
        {
            if (!f.IsSubprogram || !f.IsHiddenGlobal) continue;
            for (uint id = 1; id < rawBtf.Count; id++)
                if (rawBtf.Kind(id) == BtfKind.Func && rawBtf.Vlen(id) == FuncGlobal && rawBtf.Name(id) == f.Name)
                {
                    rawBtf.SetFuncLinkage(id, FuncStatic);
                    break;
                }
        }
    }
}
