using System.Numerics;
using System.Text;

namespace BpfSharp.Btf;

/// <summary>
/// The string section of a blob, read in place. Offsets are global: for split BTF, offsets below
/// <see cref="FirstOffset"/> belong to the base's table. Decoded strings are kept in a small direct-mapped cache
/// (kernel BTF repeats member names a lot); the cache is safe to share between threads.
/// </summary>
sealed class BtfStringTable
{
    readonly ReadOnlyMemory<byte> blob;
    readonly int start;
    readonly int length;
    readonly BtfStringTable? baseTable;
    Entry?[]? cache;

    public BtfStringTable(ReadOnlyMemory<byte> blob, int start, int length, BtfStringTable? baseTable)
    {
        this.blob = blob;
        this.start = start;
        this.length = length;
        this.baseTable = baseTable;
        FirstOffset = baseTable?.End ?? 0;
        // Checked once here (vectorised, well under a millisecond for vmlinux) so that decoding a name later cannot
        // fail, and no name decodes to replacement characters that a lookup by that name would not find.
        if (!System.Text.Unicode.Utf8.IsValid(blob.Span.Slice(start, length)))
            throw new BtfFormatException("the BTF string section is not valid UTF-8 (names must be C identifiers); the blob is corrupt.");
    }

    /// <summary>The global offset of this table's first byte.</summary>
    public uint FirstOffset { get; }

    /// <summary>One past the last valid global offset.</summary>
    public uint End => FirstOffset + (uint)length;

    /// <summary>The UTF-8 bytes of the string at a global offset, without its NUL; the offset must be valid.</summary>
    public ReadOnlySpan<byte> Bytes(uint offset)
    {
        if (offset < FirstOffset) return baseTable!.Bytes(offset);
        ReadOnlySpan<byte> rest = blob.Span.Slice(start + (int)(offset - FirstOffset), length - (int)(offset - FirstOffset));
        int end = rest.IndexOf((byte)0);
        return end < 0 ? rest : rest[..end];
    }

    /// <summary>The string at a global offset; throws when the offset is outside the table.</summary>
    public string Get(uint offset)
    {
        if (offset == 0) return "";
        if (offset < FirstOffset) return baseTable!.Get(offset);
        if (offset >= End)
            throw new BtfFormatException($"BTF string offset {offset} is outside the string table (valid offsets are below {End}).");
        Entry?[] entries = cache ??= new Entry?[Math.Clamp((int)BitOperations.RoundUpToPowerOf2((uint)length / 8 + 1), 64, 1 << 18)];
        ref Entry? slot = ref entries[(int)(offset * 2654435761u >> 8) & (entries.Length - 1)];
        if (slot is { } hit && hit.Offset == offset) return hit.Value;
        string value = Encoding.UTF8.GetString(Bytes(offset)); // the section was validated as UTF-8
        slot = new Entry(offset, value);
        return value;
    }

    /// <summary>An immutable pair, so a slot is read and replaced atomically.</summary>
    sealed record Entry(uint Offset, string Value);
}
