namespace BpfSharp.Btf;

/// <summary>
/// Parsed BTF: every type of a blob (kernel BTF such as <c>/sys/kernel/btf/vmlinux</c>, or an object's
/// <c>.BTF</c> section), addressable by id and by name.
/// </summary>
/// <remarks>
/// Parsing is one validating pass that checks every length, name offset and type reference and records where each
/// type starts; a <see cref="BtfType"/> is decoded the first time it is asked for and then cached, and the name
/// index is built on demand. After a successful parse, reading types does not throw for malformed data. A spec is
/// safe to read from several threads.
/// </remarks>
public sealed partial class BtfSpec
{
    const string KernelBtfDirectory = "/sys/kernel/btf";

    static readonly BtfType Void = new() { Id = 0, Kind = BtfKind.Unknown, Name = "void" };

    readonly ReadOnlyMemory<byte> memory;
    readonly int[] offsets;
    readonly int ownCount;
    BtfType?[]? decoded;
    readonly BtfStringTable strings;

    BtfSpec(ReadOnlyMemory<byte> blob, BtfSpec? baseSpec)
    {
        ReadOnlySpan<byte> data = blob.Span;
        BtfSections sections = BtfSections.Read(data, split: baseSpec is not null);
        memory = blob;
        Base = baseSpec;
        FirstTypeId = baseSpec is null ? 1 : (uint)baseSpec.TypeCount;
        strings = new BtfStringTable(blob, sections.StringsStart, sections.StringsLength, baseSpec?.strings);
        offsets = BtfTypeScanner.Scan(data, sections, FirstTypeId, strings.End, out ownCount);
        Types = new TypeList(this);
    }

    /// <summary>All types, base types included for split BTF; index = type id, index 0 is void.</summary>
    public IReadOnlyList<BtfType> Types { get; }

    /// <summary>The number of type ids, void included: ids run from 0 to <c>TypeCount - 1</c>.</summary>
    public int TypeCount => (int)FirstTypeId + ownCount;

    /// <summary>The base BTF this split BTF extends (vmlinux for a kernel module), or null.</summary>
    public BtfSpec? Base { get; }

    /// <summary>The id of the first type this blob defines: 1, or the base's <see cref="TypeCount"/> for split BTF.</summary>
    public uint FirstTypeId { get; }

    /// <summary>The global string offset of this blob's first string: 0, or the end of the base's strings for split BTF.</summary>
    public uint FirstStringOffset => strings.FirstOffset;

    /// <summary>One past the last valid global string offset.</summary>
    internal uint StringEnd => strings.End;

    /// <summary>The blob this spec reads from (without the base, for split BTF).</summary>
    public ReadOnlyMemory<byte> RawData => memory;

    ReadOnlySpan<byte> Data => memory.Span;

    /// <summary>
    /// Parses <c>/sys/kernel/btf/vmlinux</c>, the running kernel's BTF, read into memory. The runtime's
    /// <c>KernelBtf.Vmlinux</c> maps it in place instead and shares one parse per process.
    /// </summary>
    public static BtfSpec LoadKernel() => new(ReadFile(KernelBtfDirectory + "/vmlinux"), null);

    /// <summary>Parses a kernel module's split BTF, <c>/sys/kernel/btf/MODULE</c>, on top of <paramref name="vmlinux"/>.</summary>
    /// <exception cref="FileNotFoundException">The module is not loaded or has no BTF (see <see cref="KernelModulesWithBtf"/>).</exception>
    public static BtfSpec LoadKernelModule(string module, BtfSpec vmlinux)
    {
        ArgumentNullException.ThrowIfNull(vmlinux);
        if (module.Length == 0 || module.Contains('/') || module is "." or ".." or "vmlinux")
            throw new ArgumentException($"'{module}' is not a kernel module name.", nameof(module));
        return new BtfSpec(ReadFile($"{KernelBtfDirectory}/{module}"), vmlinux);
    }

    /// <summary>The loaded kernel modules that expose BTF (the entries of <c>/sys/kernel/btf</c> other than vmlinux), sorted.</summary>
    public static IReadOnlyList<string> KernelModulesWithBtf()
    {
        if (!Directory.Exists(KernelBtfDirectory)) return [];
        var names = new List<string>();
        foreach (string path in Directory.EnumerateFiles(KernelBtfDirectory))
        {
            string name = Path.GetFileName(path);
            if (name != "vmlinux") names.Add(name);
        }
        names.Sort(StringComparer.Ordinal);
        return names;
    }

    /// <summary>
    /// Reads a whole file into an array that is not zeroed first (every byte is overwritten): for the 5 MB of
    /// vmlinux BTF, clearing the array costs as much as parsing it.
    /// </summary>
    static byte[] ReadFile(string path)
    {
        using Microsoft.Win32.SafeHandles.SafeFileHandle file = File.OpenHandle(path);
        long length = RandomAccess.GetLength(file);
        if (length <= 0 || length > Array.MaxLength) return File.ReadAllBytes(path);
        byte[] bytes = GC.AllocateUninitializedArray<byte>((int)length);
        int read = 0;
        while (read < bytes.Length)
        {
            int n = RandomAccess.Read(file, bytes.AsSpan(read), read);
            if (n == 0) break;
            read += n;
        }
        return read == bytes.Length ? bytes : bytes[..read];
    }

    /// <summary>Parses a raw BTF blob (little-endian). Throws <see cref="BtfFormatException"/> on malformed input.</summary>
    public static BtfSpec Parse(ReadOnlySpan<byte> blob) => new(blob.ToArray(), null);

    /// <summary>
    /// Parses a raw BTF blob without copying it: the spec reads from <paramref name="blob"/> for as long as it lives,
    /// so the array must not change afterwards.
    /// </summary>
    public static BtfSpec Parse(byte[] blob) => new(blob ?? throw new ArgumentNullException(nameof(blob)), null);

    /// <summary>
    /// Parses raw BTF in place, e.g. a memory-mapped file: the spec reads from <paramref name="blob"/> for as long as
    /// it lives, so the memory must stay valid and unchanged.
    /// </summary>
    public static BtfSpec Parse(ReadOnlyMemory<byte> blob) => new(blob, null);

    /// <summary>
    /// Parses split BTF (e.g. a kernel module's) on top of <paramref name="baseSpec"/>: its type ids continue after the
    /// base's last id, and its string offsets after the end of the base's string table.
    /// </summary>
    public static BtfSpec Parse(ReadOnlySpan<byte> blob, BtfSpec baseSpec) =>
        new(blob.ToArray(), baseSpec ?? throw new ArgumentNullException(nameof(baseSpec)));

    /// <summary>The type with this id; throws when the id is out of range.</summary>
    public BtfType this[uint id]
    {
        get
        {
            if (id >= FirstTypeId)
            {
                uint index = id - FirstTypeId;
                if (index >= (uint)ownCount)
                    throw new BtfFormatException($"BTF type id {id} is out of range (the last type id is {TypeCount - 1}).");
                return decoded is { } cache && cache[index] is { } known ? known : Publish(index);
            }
            return Base is { } b ? b[id] : Void;
        }
    }

    /// <summary>The kind of a type, read without decoding it.</summary>
    public BtfKind KindOf(uint id)
    {
        if (id == 0) return BtfKind.Unknown;
        if (id < FirstTypeId) return Base!.KindOf(id);
        return BtfWire.Kind(BtfWire.ReadU32(Data, Offset(id) + 4));
    }

    /// <summary>The string at a string-table offset (e.g. a <c>.BTF.ext</c> file name or source line).</summary>
    public string GetString(uint offset) => strings.Get(offset);

    BtfType Publish(uint index)
    {
        if (decoded is null) Interlocked.CompareExchange(ref decoded, new BtfType?[ownCount], null);
        BtfType?[] cache = decoded;
        BtfType type = Decode(FirstTypeId + index, offsets[index]);
        return Interlocked.CompareExchange(ref cache[index], type, null) ?? type;
    }

    int Offset(uint id)
    {
        uint index = id - FirstTypeId;
        if (index >= (uint)ownCount)
            throw new BtfFormatException($"BTF type id {id} is out of range (the last type id is {TypeCount - 1}).");
        return offsets[index];
    }

    /// <summary><see cref="Types"/>: decodes on access.</summary>
    sealed class TypeList(BtfSpec spec) : IReadOnlyList<BtfType>
    {
        public BtfType this[int index] => (uint)index < (uint)spec.TypeCount
            ? spec[(uint)index]
            : throw new ArgumentOutOfRangeException(nameof(index), index, $"BTF type ids run from 0 to {spec.TypeCount - 1}.");

        public int Count => spec.TypeCount;

        public IEnumerator<BtfType> GetEnumerator()
        {
            for (uint id = 0; id < (uint)spec.TypeCount; id++) yield return spec[id];
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
