using BpfSharp.Btf;
using BpfSharp.Elf;

namespace BpfSharp.Objects;

internal sealed partial class ObjectParser
{
    const uint VarStatic = 0, VarGlobal = 1, VarExtern = 2;
    const uint FuncStatic = 0, FuncGlobal = 1, FuncExtern = 2;

    readonly Dictionary<uint, ExternDefinition> externsBySymbol = [];
    readonly Dictionary<string, ExternDefinition> externsByName = new(StringComparer.Ordinal);

    /// <summary>
    /// Finds the externs (undefined global symbols) and their BTF, lays out <c>.kconfig</c>, and rewrites the
    /// <c>.kconfig</c> and <c>.ksyms</c> DATASECs the way libbpf does so the kernel accepts the BTF.
    /// </summary>
    List<ExternDefinition> CollectExterns()
    {
        var found = new List<(ExternDefinition Extern, uint Symbol, int Alignment)>();
        for (int i = 0; i < symbols.Length; i++)
        {
            Symbol symbol = symbols[i];
            if (!IsExtern(symbol.Elf) || symbol.Name.Length == 0) continue;
            found.Add(DescribeExtern(symbol));
            found[^1] = found[^1] with { Symbol = (uint)i };
        }
        if (found.Count == 0) return [];

        // libbpf's order: kconfig before ksyms; kconfig by alignment (largest first), then size; then by name.
        found.Sort((a, b) =>
        {
            int byKind = (a.Extern.Kind == ExternKind.Kconfig ? 0 : 1).CompareTo(b.Extern.Kind == ExternKind.Kconfig ? 0 : 1);
            if (byKind != 0) return byKind;
            if (a.Extern.Kind == ExternKind.Kconfig)
            {
                if (a.Alignment != b.Alignment) return b.Alignment.CompareTo(a.Alignment);
                if (a.Extern.Size != b.Extern.Size) return a.Extern.Size.CompareTo(b.Extern.Size);
            }
            return string.CompareOrdinal(a.Extern.Name, b.Extern.Name);
        });
        uint kconfigEnd = 0;
        var result = new List<ExternDefinition>(found.Count);
        foreach (var (ext, symbol, alignment) in found)
        {
            ExternDefinition placed = ext;
            if (ext.Kind == ExternKind.Kconfig)
            {
                uint offset = (kconfigEnd + (uint)alignment - 1) / (uint)alignment * (uint)alignment;
                placed = ext with { Offset = offset };
                kconfigEnd = offset + ext.Size;
            }
            result.Add(placed);
            externsBySymbol[symbol] = placed;
            externsByName[placed.Name] = placed;
        }
        RewriteKsyms();
        RewriteKconfig(kconfigEnd);
        return result;
    }

    (ExternDefinition Extern, uint Symbol, int Alignment) DescribeExtern(Symbol symbol)
    {
        string name = symbol.Name;
        if (btf is null)
            throw new ObjectFormatException(
                $"extern '{name}' needs BTF to say what it is (__kconfig or __ksym) but the object has none; compile with clang -g.");
        if (externCandidates is null)
        {
            externCandidates = new Dictionary<string, uint>(StringComparer.Ordinal);
            externSections = [];
            for (uint t = 1; t < btf.Types.Count; t++)
            {
                BtfType type = btf[t];
                if (type.Kind is BtfKind.Var or BtfKind.Func) externCandidates.TryAdd(type.Name, t);
                if (type.Kind == BtfKind.DataSection)
                    foreach (BtfSectionVariable v in type.Variables) externSections.TryAdd(v.TypeId, type.Name);
            }
        }
        if (!externCandidates.TryGetValue(name, out uint id))
            throw new ObjectFormatException(
                $"extern '{name}' has no BTF VAR or FUNC; declare it with __kconfig or __ksym (from bpf_helpers.h) and compile with -g.");
        BtfType ext = btf[id];
        if (ext.Kind == BtfKind.Var && ext.Linkage != VarExtern)
            throw new ObjectFormatException($"extern '{name}': its BTF VAR [{id}] has linkage {ext.Linkage}, not extern (2); the object is inconsistent, recompile it.");
        if (ext.Kind == BtfKind.Func && ext.Linkage != FuncExtern)
            throw new ObjectFormatException($"extern '{name}': its BTF FUNC [{id}] has linkage {ext.Linkage}, not extern (2); the object is inconsistent, recompile it.");

        string section = ExternSectionOf(id)
            ?? throw new ObjectFormatException($"extern '{name}' is in no BTF DATASEC; mark it __kconfig or __ksym so clang puts it in .kconfig or .ksyms.");
        bool weak = symbol.Elf.Binding == ElfSymbolBinding.Weak;
        switch (section)
        {
            case KconfigSection:
            {
                if (ext.Kind == BtfKind.Func)
                    throw new ObjectFormatException($"extern '{name}' is a function in .kconfig; only values (CONFIG_*) can be __kconfig.");
                long size = SizeOf(ext.TypeId);
                if (size <= 0 || size > int.MaxValue)
                    throw new ObjectFormatException($"extern (kconfig) '{name}': its type [{ext.TypeId}] has no usable size.");
                if (!IsKconfigType(ext.TypeId))
                    throw new ObjectFormatException(
                        $"extern (kconfig) '{name}': type [{ext.TypeId}] '{btf.SkipModifiers(ext.TypeId).Name}' is unsupported; use bool, char, a 1/2/4/8-byte integer, enum libbpf_tristate or a char array.");
                var definition = new ExternDefinition
                {
                    Name = name, Kind = ExternKind.Kconfig, IsWeak = weak, BtfTypeId = id,
                    TargetTypeId = btf.SkipModifiers(ext.TypeId).Id, Size = (uint)size,
                };
                return (definition, 0, AlignOf(ext.TypeId, name));
            }
            case KsymsSection:
                return (new ExternDefinition
                {
                    Name = name,
                    Kind = ext.Kind == BtfKind.Func ? ExternKind.KsymFunction : ExternKind.KsymVariable,
                    IsWeak = weak,
                    BtfTypeId = id,
                    TargetTypeId = btf.SkipModifiers(ext.TypeId).Id,
                }, 0, 1);
            default:
                throw new ObjectFormatException($"extern '{name}' is in DATASEC '{section}'; externs must be __kconfig (.kconfig) or __ksym (.ksyms).");
        }
    }

    /// <summary>The first VAR or FUNC of each name, and the DATASEC each type is listed in: built once, on the first extern.</summary>
    Dictionary<string, uint>? externCandidates;
    Dictionary<uint, string>? externSections;

    string? ExternSectionOf(uint id) => externSections!.GetValueOrDefault(id);

    /// <summary>libbpf's find_kcfg_type: bool, char, 1/2/4/8-byte integers, libbpf_tristate, char arrays.</summary>
    bool IsKconfigType(uint id, bool inArray = false)
    {
        BtfType t = btf!.SkipModifiers(id);
        switch (t.Kind)
        {
            case BtfKind.Int:
                if ((t.IntEncoding & 4) != 0) return t.Size == 1 && !inArray;
                return inArray ? t.Size == 1 : t.Size is 1 or 2 or 4 or 8;
            case BtfKind.Enum:
                return !inArray && t.Size == 4 && t.Name == "libbpf_tristate";
            case BtfKind.Enum64:
                return !inArray && t.Name == "libbpf_tristate";
            case BtfKind.Array:
                return !inArray && t.ElementCount > 0 && IsKconfigType(t.ElementTypeId, inArray: true);
            default:
                return false;
        }
    }

    /// <summary>
    /// The size of a type (libbpf's btf__resolve_size), or -1 when it has none (void, FWD, FUNC…). Bounded like
    /// libbpf's: a cycle or a chain deeper than 32 in a hostile object is "no size", not a stack overflow.
    /// </summary>
    long SizeOf(uint id)
    {
        long multiplier = 1;
        for (int depth = 0; depth < 32; depth++)
        {
            if (id >= btf!.Types.Count) return -1;
            BtfType t = btf[id];
            switch (t.Kind)
            {
                case BtfKind.Int or BtfKind.Struct or BtfKind.Union or BtfKind.Enum or BtfKind.Enum64 or BtfKind.DataSection or BtfKind.Float:
                    return CheckedSize(multiplier * t.Size);
                case BtfKind.Pointer:
                    return CheckedSize(multiplier * 8);
                case BtfKind.Typedef or BtfKind.Volatile or BtfKind.Const or BtfKind.Restrict or BtfKind.TypeTag or BtfKind.Var:
                    id = t.TypeId;
                    break;
                case BtfKind.Array:
                    if (t.ElementCount != 0 && multiplier > uint.MaxValue / t.ElementCount) return -1;
                    multiplier *= t.ElementCount;
                    id = t.ElementTypeId;
                    break;
                default:
                    return -1;
            }
        }
        return -1;

        static long CheckedSize(long size) => size > uint.MaxValue ? -1 : size;
    }

    /// <summary>The alignment C gives a type (libbpf's btf__align_of), for laying out .kconfig.</summary>
    int AlignOf(uint id, string user, int depth = 0)
    {
        if (depth > 32) throw new ObjectFormatException($"extern '{user}': its type nests too deeply to align.");
        BtfType t = btf![id];
        switch (t.Kind)
        {
            case BtfKind.Int or BtfKind.Enum or BtfKind.Enum64 or BtfKind.Float:
                return (int)Math.Clamp(t.Size, 1, 8);
            case BtfKind.Pointer:
                return 8;
            case BtfKind.Typedef or BtfKind.Volatile or BtfKind.Const or BtfKind.Restrict or BtfKind.TypeTag:
                return AlignOf(t.TypeId, user, depth + 1);
            case BtfKind.Array:
                return AlignOf(t.ElementTypeId, user, depth + 1);
            case BtfKind.Struct or BtfKind.Union:
            {
                int max = 1;
                foreach (BtfMember m in t.Members)
                {
                    int a = AlignOf(m.TypeId, user, depth + 1);
                    if (m.BitfieldSize == 0 && m.BitOffset % (8 * (uint)a) != 0) return 1; // packed
                    max = Math.Max(max, a);
                }
                return t.Size % max == 0 ? max : 1;
            }
            default:
                throw new ObjectFormatException($"extern '{user}': type [{id}] ({t.Kind}) has no alignment.");
        }
    }

    /// <summary>
    /// The kernel accepts only allocated VARs in a DATASEC: each <c>.ksyms</c> variable becomes a 4-byte int at
    /// 4-byte steps, and each kfunc entry is replaced by a dummy int VAR (its FUNC made global, its unnamed
    /// parameters named), as libbpf does.
    /// </summary>
    void RewriteKsyms()
    {
        if (rawBtf is null) return;
        uint section = rawBtf.Find(BtfKind.DataSection, KsymsSection);
        if (section == 0) return;
        uint intId = FirstInt32();
        int count = rawBtf.Vlen(section);
        bool hasFunction = false;
        for (int i = 0; i < count; i++)
            hasFunction |= rawBtf.Kind(rawBtf.DatasecEntry(section, i).Type) == BtfKind.Func;
        uint dummy = hasFunction ? rawBtf.AppendVar("dummy_ksym", intId, VarGlobal) : 0;
        for (int i = 0; i < count; i++)
        {
            uint var = rawBtf.DatasecEntry(section, i).Type;
            string name = rawBtf.Name(var);
            if (!externsByName.ContainsKey(name))
                throw new ObjectFormatException($".ksyms has BTF {rawBtf.Kind(var)} '{name}' but no symbol of that name refers to it; the object is inconsistent, recompile it.");
            if (rawBtf.Kind(var) == BtfKind.Func)
            {
                uint proto = rawBtf.SizeOrType(var);
                if (rawBtf.Kind(proto) == BtfKind.FuncProto)
                    for (int p = 0; p < rawBtf.Vlen(proto); p++)
                        if (rawBtf.Parameter(proto, p) is { Type: not 0, NameOffset: 0 })
                            rawBtf.SetParameterName(proto, p, rawBtf.NameOffset(dummy));
                rawBtf.SetFuncLinkage(var, FuncGlobal);
                var = dummy;
            }
            else
            {
                rawBtf.SetVarLinkage(var, VarGlobal);
                rawBtf.SetSizeOrType(var, intId);
            }
            rawBtf.SetDatasecEntry(section, i, (var, (uint)(4 * i), 4));
        }
        rawBtf.SetSizeOrType(section, (uint)(4 * count));
    }

    /// <summary>Gives <c>.kconfig</c> its size and each of its VARs the offset assigned to the extern, made allocated.</summary>
    void RewriteKconfig(uint size)
    {
        if (rawBtf is null) return;
        uint section = rawBtf.Find(BtfKind.DataSection, KconfigSection);
        if (section == 0) return;
        rawBtf.SetSizeOrType(section, size);
        for (int i = 0; i < rawBtf.Vlen(section); i++)
        {
            var entry = rawBtf.DatasecEntry(section, i);
            string name = rawBtf.Name(entry.Type);
            if (!externsByName.TryGetValue(name, out ExternDefinition? ext))
                throw new ObjectFormatException($".kconfig has BTF VAR '{name}' but no symbol of that name refers to it; the object is inconsistent, recompile it.");
            rawBtf.SetVarLinkage(entry.Type, VarGlobal);
            rawBtf.SetDatasecEntry(section, i, entry with { Offset = ext.Offset });
        }
    }

    uint FirstInt32()
    {
        for (uint id = 1; id < btf!.Types.Count; id++)
            if (btf[id].Kind == BtfKind.Int && btf[id].IntBits == 32)
                return id;
        return 0;
    }
}
