using System.Buffers.Binary;
using System.Text;

namespace BpfSharp.Btf;

/// <summary>
/// Writes a raw BTF blob type by type. Ids are handed out in order from 1; names go into a deduplicated string
/// table. Covers the kinds the runtime needs today (INT, PTR, ARRAY, STRUCT, UNION); the object writer extends it.
/// </summary>
public sealed class BtfBuilder
{
    const int HeaderSize = 24;

    readonly List<uint> types = [];
    readonly List<byte> strings = [0];
    readonly Dictionary<string, uint> stringOffsets = new(StringComparer.Ordinal) { [""] = 0 };
    uint nextId = 1;

    /// <summary>An integer type; <paramref name="signed"/>, <paramref name="isChar"/> and <paramref name="isBool"/> set its encoding.</summary>
    public uint AddInt(string name, uint size, bool signed = false, bool isChar = false, bool isBool = false, uint bits = 0)
    {
        uint encoding = (signed ? 1u : 0) | (isChar ? 2u : 0) | (isBool ? 4u : 0);
        return Add(name, BtfKind.Int, 0, size, [(encoding << 24) | (bits == 0 ? size * 8 : bits)]);
    }

    public uint AddPointer(uint targetId) => Add("", BtfKind.Pointer, 0, targetId, []);

    public uint AddArray(uint elementId, uint indexId, uint count) => Add("", BtfKind.Array, 0, 0, [elementId, indexId, count]);

    /// <summary>A struct whose members are (name, type id, bit offset).</summary>
    public uint AddStruct(string name, uint size, params ReadOnlySpan<(string Name, uint TypeId, uint BitOffset)> members) =>
        AddAggregate(BtfKind.Struct, name, size, members);

    public uint AddUnion(string name, uint size, params ReadOnlySpan<(string Name, uint TypeId, uint BitOffset)> members) =>
        AddAggregate(BtfKind.Union, name, size, members);

    /// <summary>The blob: header, type section, string section.</summary>
    public byte[] Build()
    {
        int typeBytes = types.Count * 4;
        byte[] blob = new byte[HeaderSize + typeBytes + strings.Count];
        Span<byte> s = blob;
        BinaryPrimitives.WriteUInt16LittleEndian(s, 0xEB9F);
        s[2] = 1; // version
        BinaryPrimitives.WriteUInt32LittleEndian(s[4..], HeaderSize);
        BinaryPrimitives.WriteUInt32LittleEndian(s[8..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(s[12..], (uint)typeBytes);
        BinaryPrimitives.WriteUInt32LittleEndian(s[16..], (uint)typeBytes);
        BinaryPrimitives.WriteUInt32LittleEndian(s[20..], (uint)strings.Count);
        for (int i = 0; i < types.Count; i++)
            BinaryPrimitives.WriteUInt32LittleEndian(s[(HeaderSize + 4 * i)..], types[i]);
        strings.CopyTo(blob, HeaderSize + typeBytes);
        return blob;
    }

    uint AddAggregate(BtfKind kind, string name, uint size, ReadOnlySpan<(string Name, uint TypeId, uint BitOffset)> members)
    {
        var data = new uint[members.Length * 3];
        for (int i = 0; i < members.Length; i++)
        {
            data[3 * i] = String(members[i].Name);
            data[3 * i + 1] = members[i].TypeId;
            data[3 * i + 2] = members[i].BitOffset;
        }
        return Add(name, kind, (uint)members.Length, size, data);
    }

    uint Add(string name, BtfKind kind, uint vlen, uint sizeOrType, ReadOnlySpan<uint> data)
    {
        types.Add(String(name));
        types.Add(((uint)kind << 24) | vlen);
        types.Add(sizeOrType);
        foreach (uint word in data) types.Add(word);
        return nextId++;
    }

    uint String(string s)
    {
        if (stringOffsets.TryGetValue(s, out uint offset)) return offset;
        offset = (uint)strings.Count;
        strings.AddRange(Encoding.UTF8.GetBytes(s));
        strings.Add(0);
        stringOffsets[s] = offset;
        return offset;
    }
}
