using System.Buffers.Binary;
using System.Text;

namespace BpfSharp.Btf;

/// <summary>
/// Writes a raw BTF blob type by type. Ids are handed out in order from 1; names go into a deduplicated string
/// table. <see cref="Add(BtfType)"/> writes any kind; <see cref="From"/> re-encodes a parsed spec with the same ids.
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

    /// <summary>
    /// A builder holding every type of <paramref name="spec"/> in id order (so ids and type references stay valid),
    /// ready for more types or strings (e.g. the line_info strings a loader adds).
    /// </summary>
    public static BtfBuilder From(BtfSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var builder = new BtfBuilder();
        for (int id = 1; id < spec.Types.Count; id++) builder.Add(spec.Types[id]);
        return builder;
    }

    /// <summary>Adds a string to the string table (deduplicated) and returns its offset.</summary>
    public uint AddString(string value) => String(value);

    /// <summary>
    /// Appends <paramref name="type"/> as the next id, whatever its kind; its <see cref="BtfType.Id"/> is ignored and
    /// its references (member types, element types…) are written as they are.
    /// </summary>
    public uint Add(BtfType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        uint flag = type.KindFlag ? 1u << 31 : 0;
        switch (type.Kind)
        {
            case BtfKind.Int:
                return Add(type.Name, type.Kind, flag, type.Size,
                    [((uint)type.IntEncoding << 24) | ((uint)type.IntOffset << 16) | type.IntBits]);
            case BtfKind.Pointer or BtfKind.Forward or BtfKind.Typedef or BtfKind.Volatile or BtfKind.Const
                or BtfKind.Restrict or BtfKind.TypeTag:
                return Add(type.Name, type.Kind, flag, type.TypeId, []);
            case BtfKind.Func:
                return Add(type.Name, type.Kind, (uint)type.Linkage & 0xffff, type.TypeId, []);
            case BtfKind.Float:
                return Add(type.Name, type.Kind, 0, type.Size, []);
            case BtfKind.Array:
                return Add(type.Name, type.Kind, 0, 0, [type.ElementTypeId, type.IndexTypeId, type.ElementCount]);
            case BtfKind.Struct or BtfKind.Union:
            {
                var data = new uint[type.Members.Count * 3];
                for (int i = 0; i < type.Members.Count; i++)
                {
                    BtfMember m = type.Members[i];
                    data[3 * i] = String(m.Name);
                    data[3 * i + 1] = m.TypeId;
                    data[3 * i + 2] = type.KindFlag ? ((uint)m.BitfieldSize << 24) | (m.BitOffset & 0xffffff) : m.BitOffset;
                }
                return Add(type.Name, type.Kind, flag | (uint)type.Members.Count, type.Size, data);
            }
            case BtfKind.Enum:
            {
                var data = new uint[type.EnumValues.Count * 2];
                for (int i = 0; i < type.EnumValues.Count; i++)
                {
                    data[2 * i] = String(type.EnumValues[i].Name);
                    data[2 * i + 1] = unchecked((uint)type.EnumValues[i].Value);
                }
                return Add(type.Name, type.Kind, flag | (uint)type.EnumValues.Count, type.Size, data);
            }
            case BtfKind.Enum64:
            {
                var data = new uint[type.EnumValues.Count * 3];
                for (int i = 0; i < type.EnumValues.Count; i++)
                {
                    ulong v = unchecked((ulong)type.EnumValues[i].Value);
                    data[3 * i] = String(type.EnumValues[i].Name);
                    data[3 * i + 1] = (uint)v;
                    data[3 * i + 2] = (uint)(v >> 32);
                }
                return Add(type.Name, type.Kind, flag | (uint)type.EnumValues.Count, type.Size, data);
            }
            case BtfKind.FuncProto:
            {
                var data = new uint[type.Parameters.Count * 2];
                for (int i = 0; i < type.Parameters.Count; i++)
                {
                    data[2 * i] = String(type.Parameters[i].Name);
                    data[2 * i + 1] = type.Parameters[i].TypeId;
                }
                return Add(type.Name, type.Kind, (uint)type.Parameters.Count, type.TypeId, data);
            }
            case BtfKind.Var:
                return Add(type.Name, type.Kind, 0, type.TypeId, [(uint)type.Linkage]);
            case BtfKind.DataSection:
            {
                var data = new uint[type.Variables.Count * 3];
                for (int i = 0; i < type.Variables.Count; i++)
                {
                    data[3 * i] = type.Variables[i].TypeId;
                    data[3 * i + 1] = type.Variables[i].Offset;
                    data[3 * i + 2] = type.Variables[i].Size;
                }
                return Add(type.Name, type.Kind, (uint)type.Variables.Count, type.Size, data);
            }
            case BtfKind.DeclTag:
                return Add(type.Name, type.Kind, 0, type.TypeId, [(uint)type.Linkage]);
            default:
                throw new BtfFormatException($"BTF type {type}: kind {type.Kind} cannot be encoded.");
        }
    }

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

    /// <param name="info">The info word's low bits: vlen, and the kind flag in bit 31.</param>
    uint Add(string name, BtfKind kind, uint info, uint sizeOrType, ReadOnlySpan<uint> data)
    {
        types.Add(String(name));
        types.Add(((uint)kind << 24) | info);
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
