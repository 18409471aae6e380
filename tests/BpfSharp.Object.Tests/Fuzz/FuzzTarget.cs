using BpfSharp.Btf;

namespace BpfSharp.Object.Tests.Fuzz;

/// <summary>What kind of bytes a target takes; decides its corpus and its field scanner.</summary>
enum InputKind
{
    /// <summary>A raw BTF blob: vmlinux, a slice of it, and the .BTF sections of compiled objects.</summary>
    Btf,
    /// <summary>A whole eBPF ELF object file as clang-19 writes it.</summary>
    ElfObject,
    /// <summary>A .BTF.ext section of a compiled object.</summary>
    BtfExt,
}

/// <summary>
/// A parser under fuzz: <see cref="Parse"/> turns bytes into a result (or throws), <see cref="Traverse"/> then
/// touches everything a caller could touch, so lazy parsers meet their bad bytes too. Both may only throw
/// <see cref="BpfFormatException"/> (and its subtypes); anything else, a hang or an allocation out of proportion to
/// the input is a finding.
/// </summary>
sealed record FuzzTarget(string Name, InputKind Kind, Func<byte[], object?> Parse, Action<object>? Traverse = null);

/// <summary>Every fuzz target, by name (the child process looks them up here). To fuzz a new parser, add one line.</summary>
static class FuzzTargets
{
    public static readonly FuzzTarget[] All =
    [
        new("BtfSpec", InputKind.Btf, bytes => BtfSpec.Parse(bytes), o => BtfTraversal.Visit((BtfSpec)o)),
        // the whole reader: ELF, .BTF (with libbpf's fix-ups), .BTF.ext, SEC conventions, linking, maps, externs
        new("ObjectReader", InputKind.ElfObject, bytes => BpfSharp.Objects.ObjectReader.Read(bytes, "fuzz"), o => ObjectTraversal.Visit((BpfSharp.Objects.ObjectSpec)o)),
        new("BtfCDump", InputKind.Btf, bytes => BtfSpec.Parse(bytes), o => BpfSharp.Btf.Dump.BtfCDumper.WriteHeader((BtfSpec)o, TextWriter.Null)),
    ];

    /// <summary>Targets that misbehave on purpose, to prove the harness notices (FuzzHarnessTests); not in <see cref="All"/>.</summary>
    internal static readonly FuzzTarget[] SelfTests =
    [
        new(FaultyParser.Name, InputKind.BtfExt, FaultyParser.Parse),
    ];

    public static FuzzTarget Get(string name) =>
        All.Concat(SelfTests).FirstOrDefault(t => t.Name == name) ?? throw new ArgumentException($"no fuzz target '{name}'");

    public static Func<byte[], FieldMap> ScannerFor(InputKind kind) => kind switch
    {
        InputKind.Btf => BtfFieldScanner.Scan,
        InputKind.ElfObject => ElfFieldScanner.Scan,
        _ => _ => new FieldMap(),
    };
}

/// <summary>
/// Touches every type of a parsed BTF the way callers do: the indexer for every id (and one past the last), each
/// type's members, parameters, enumerators and variables and the ids they reference, <see cref="BtfSpec.SkipModifiers"/>,
/// <see cref="BtfSpec.SizeOf"/>, and <see cref="BtfSpec.FindByName"/>/<see cref="BtfSpec.Find"/> for every named type
/// but void (which must find it). A <see cref="BpfFormatException"/> from one type does not stop the walk over the others.
/// </summary>
static class BtfTraversal
{
    // Enough rejected lookups to see that errors are reported; more would only measure exception throwing.
    const int MaxRejections = 256;

    public static void Visit(BtfSpec spec)
    {
        int rejections = 0;
        int count = spec.Types.Count;
        for (uint id = 0; id <= (uint)count && rejections < MaxRejections; id++)
        {
            BtfType t;
            try { t = spec[id]; }
            catch (BpfFormatException) { rejections++; continue; }

            foreach (BtfMember m in t.Members) rejections += Lookup(spec, m.TypeId);
            foreach (BtfParameter p in t.Parameters) rejections += Lookup(spec, p.TypeId);
            foreach (BtfSectionVariable v in t.Variables) rejections += Lookup(spec, v.TypeId);
            foreach (BtfEnumValue e in t.EnumValues) _ = e.Name.Length;
            if (t.Kind is BtfKind.Array) rejections += Lookup(spec, t.ElementTypeId) + Lookup(spec, t.IndexTypeId);

            try { _ = spec.SkipModifiers(id); }
            catch (BpfFormatException) { rejections++; }
            try { _ = spec.SizeOf(id); }
            catch (BpfFormatException) { rejections++; }

            // Type 0 (void) is not in the blob, so whether a name lookup finds it is a design choice, not a fact.
            bool named = id > 0 && t.Name.Length > 0;
            if (named && !Contains(spec.FindByName(t.Name), t.Id))
                throw new FuzzInvariantException($"FindByName(\"{t.Name}\") does not return type {t.Id}, which has that name");
            if (named && spec.Find(t.Name, t.Kind) is null)
                throw new FuzzInvariantException($"Find(\"{t.Name}\", {t.Kind}) returns null although type {t.Id} matches");
        }
    }

    static bool Contains(IReadOnlyList<BtfType> types, uint id)
    {
        for (int i = 0; i < types.Count; i++)
            if (types[i].Id == id) return true;
        return false;
    }

    static int Lookup(BtfSpec spec, uint id)
    {
        try
        {
            _ = spec[id];
            return 0;
        }
        catch (BpfFormatException)
        {
            return 1;
        }
    }
}

/// <summary>A parser answered inconsistently (not a crash, but wrong): always a finding.</summary>
sealed class FuzzInvariantException(string message) : Exception(message);

/// <summary>Touches what a loader or the CLI reads of an object: every program's instructions and records, every map, and the BTF.</summary>
static class ObjectTraversal
{
    public static void Visit(BpfSharp.Objects.ObjectSpec spec)
    {
        foreach (BpfSharp.Objects.ProgramDefinition p in spec.Programs)
        {
            _ = BpfSharp.Asm.InstructionList.SlotCount([.. p.Instructions]);
            _ = BpfSharp.Asm.Disassembler.FormatProgram([.. p.Instructions]);
            _ = p.FuncInfo.Count + p.LineInfo.Count + p.CoreRelocations.Count + p.Relocations.Count;
        }
        foreach (BpfSharp.Objects.MapDefinition m in spec.Maps) _ = m.ToString();
        if (spec.Btf is { } btf)
        {
            try { BtfTraversal.Visit(btf); }
            catch (BpfFormatException) { }
        }
    }
}
