using System.Buffers.Binary;
using System.Text;

namespace BpfSharp.Btf.Ext;

/// <summary>
/// The string section of a raw BTF blob, read without parsing the types: what <c>.BTF.ext</c> records and the
/// loader's fix-ups need to resolve name offsets.
/// </summary>
public sealed class BtfStringSection
{
    const int HeaderSize = 24;

    readonly byte[] table;
    readonly Dictionary<uint, string> cache = new() { [0] = "" };
    Dictionary<string, uint>? offsets;

    BtfStringSection(byte[] table) => this.table = table;

    /// <summary>The raw string section.</summary>
    public ReadOnlySpan<byte> Bytes => table;

    /// <summary>Reads the header of <paramref name="btf"/> and copies its string section.</summary>
    /// <exception cref="BtfFormatException">The header is short, has the wrong magic or places the strings outside the blob.</exception>
    public static BtfStringSection FromBtf(ReadOnlySpan<byte> btf)
    {
        if (btf.Length < HeaderSize)
            throw new BtfFormatException($"BTF is {btf.Length} bytes, shorter than its {HeaderSize}-byte header.");
        ushort magic = BinaryPrimitives.ReadUInt16LittleEndian(btf);
        if (magic != 0xEB9F)
            throw new BtfFormatException(magic == 0x9FEB
                ? "BTF is big-endian; only little-endian BTF is supported (compile with -target bpf)."
                : $"BTF magic is 0x{magic:x4}, expected 0xeb9f.");
        uint headerLength = BinaryPrimitives.ReadUInt32LittleEndian(btf[4..]);
        uint offset = BinaryPrimitives.ReadUInt32LittleEndian(btf[16..]);
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(btf[20..]);
        if (headerLength < HeaderSize || headerLength > btf.Length)
            throw new BtfFormatException($"BTF header length {headerLength} is outside the blob ({btf.Length} bytes).");
        ulong start = (ulong)headerLength + offset;
        if (start > (ulong)btf.Length || length > (ulong)btf.Length - start)
            throw new BtfFormatException(
                $"BTF string section [{offset}, {offset + (ulong)length}) lies outside the blob ({btf.Length - headerLength} bytes after the header).");
        return new BtfStringSection(btf.Slice((int)start, (int)length).ToArray());
    }

    /// <summary>A table over <paramref name="strings"/> (a raw string section: NUL-terminated strings, starting with an empty one).</summary>
    public static BtfStringSection FromStrings(ReadOnlySpan<byte> strings) => new(strings.ToArray());

    /// <summary>The string at <paramref name="offset"/>; <paramref name="user"/> says who asked, for the error message.</summary>
    /// <exception cref="BtfFormatException">The offset is outside the table or the string is not NUL-terminated.</exception>
    public string Get(uint offset, string user)
    {
        if (cache.TryGetValue(offset, out string? s)) return s;
        if (offset >= (uint)table.Length)
            throw new BtfFormatException($"{user}: string offset {offset} is outside the BTF string section ({table.Length} bytes).");
        int end = Array.IndexOf(table, (byte)0, (int)offset);
        if (end < 0)
            throw new BtfFormatException($"{user}: the string at offset {offset} of the BTF string section is not NUL-terminated.");
        s = Encoding.UTF8.GetString(table, (int)offset, end - (int)offset);
        cache[offset] = s;
        return s;
    }

    /// <summary>The offset of the first occurrence of <paramref name="value"/> as a whole string, or null.</summary>
    public uint? Find(string value)
    {
        if (offsets is null)
        {
            offsets = new Dictionary<string, uint>(StringComparer.Ordinal);
            for (int at = 0; at < table.Length;)
            {
                int end = Array.IndexOf(table, (byte)0, at);
                if (end < 0) break;
                offsets.TryAdd(Encoding.UTF8.GetString(table, at, end - at), (uint)at);
                at = end + 1;
            }
        }
        return offsets.TryGetValue(value, out uint offset) ? offset : null;
    }
}
