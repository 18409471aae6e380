using System.Buffers.Binary;
using System.Text;
using BpfSharp.Btf;

namespace BpfSharp.Object.Tests.Btf.Core;

/// <summary>
/// Writes raw BTF of every kind CO-RE tests need (BtfBuilder covers only INT, PTR, ARRAY, STRUCT, UNION), including
/// bitfield members (kind flag), enums, typedefs, qualifiers, forwards and function prototypes.
/// </summary>
sealed class TestBtf
{
    readonly List<uint> words = [];
    readonly List<byte> strings = [0];
    readonly Dictionary<string, uint> offsets = new(StringComparer.Ordinal) { [""] = 0 };
    uint next = 1;

    public uint Int(string name, uint size, bool signed = false, uint bits = 0, uint bitOffset = 0) =>
        Add(name, BtfKind.Int, 0, false, size, [((signed ? 1u : 0u) << 24) | (bitOffset << 16) | (bits == 0 ? size * 8 : bits)]);

    public uint Char(string name = "char") => Add(name, BtfKind.Int, 0, false, 1, [(2u << 24) | 8]);

    public uint Pointer(uint target) => Add("", BtfKind.Pointer, 0, false, target, []);

    public uint Array(uint element, uint count, uint index = 0) => Add("", BtfKind.Array, 0, false, 0, [element, index == 0 ? element : index, count]);

    public uint Struct(string name, uint size, params (string Name, uint Type, uint BitOffset)[] members) =>
        Aggregate(BtfKind.Struct, name, size, members.Select(m => (m.Name, m.Type, m.BitOffset, 0u)).ToArray());

    public uint Union(string name, uint size, params (string Name, uint Type, uint BitOffset)[] members) =>
        Aggregate(BtfKind.Union, name, size, members.Select(m => (m.Name, m.Type, m.BitOffset, 0u)).ToArray());

    /// <summary>A struct with the kind flag set: members carry a bitfield size (0 for ordinary members).</summary>
    public uint BitfieldStruct(string name, uint size, params (string Name, uint Type, uint BitOffset, uint BitSize)[] members) =>
        Aggregate(BtfKind.Struct, name, size, members, kindFlag: true);

    public uint Enum(string name, uint size, bool signed, params (string Name, int Value)[] values)
    {
        var data = new List<uint>();
        foreach (var (n, v) in values) { data.Add(String(n)); data.Add(unchecked((uint)v)); }
        return Add(name, BtfKind.Enum, (uint)values.Length, signed, size, data.ToArray());
    }

    public uint Enum64(string name, uint size, bool signed, params (string Name, long Value)[] values)
    {
        var data = new List<uint>();
        foreach (var (n, v) in values) { data.Add(String(n)); data.Add(unchecked((uint)v)); data.Add(unchecked((uint)((ulong)v >> 32))); }
        return Add(name, BtfKind.Enum64, (uint)values.Length, signed, size, data.ToArray());
    }

    public uint Forward(string name, bool union = false) => Add(name, BtfKind.Forward, 0, union, 0, []);

    public uint Typedef(string name, uint target) => Add(name, BtfKind.Typedef, 0, false, target, []);

    public uint Const(uint target) => Add("", BtfKind.Const, 0, false, target, []);

    public uint Volatile(uint target) => Add("", BtfKind.Volatile, 0, false, target, []);

    public uint Float(string name, uint size) => Add(name, BtfKind.Float, 0, false, size, []);

    public uint FuncProto(uint returns, params uint[] parameters)
    {
        var data = new List<uint>();
        foreach (uint p in parameters) { data.Add(0); data.Add(p); }
        return Add("", BtfKind.FuncProto, (uint)parameters.Length, false, returns, data.ToArray());
    }

    /// <summary>Reserves the next id for a type added later (for self-referencing structs).</summary>
    public uint NextId => next;

    public BtfSpec Spec() => BtfSpec.Parse(Build());

    public byte[] Build()
    {
        int typeBytes = words.Count * 4;
        var blob = new byte[24 + typeBytes + strings.Count];
        Span<byte> s = blob;
        BinaryPrimitives.WriteUInt16LittleEndian(s, 0xEB9F);
        s[2] = 1;
        BinaryPrimitives.WriteUInt32LittleEndian(s[4..], 24);
        BinaryPrimitives.WriteUInt32LittleEndian(s[12..], (uint)typeBytes);
        BinaryPrimitives.WriteUInt32LittleEndian(s[16..], (uint)typeBytes);
        BinaryPrimitives.WriteUInt32LittleEndian(s[20..], (uint)strings.Count);
        for (int i = 0; i < words.Count; i++)
            BinaryPrimitives.WriteUInt32LittleEndian(s[(24 + 4 * i)..], words[i]);
        strings.CopyTo(blob, 24 + typeBytes);
        return blob;
    }

    uint Aggregate(BtfKind kind, string name, uint size, (string Name, uint Type, uint BitOffset, uint BitSize)[] members, bool kindFlag = false)
    {
        var data = new List<uint>();
        foreach (var m in members) { data.Add(String(m.Name)); data.Add(m.Type); data.Add(kindFlag ? (m.BitSize << 24) | m.BitOffset : m.BitOffset); }
        return Add(name, kind, (uint)members.Length, kindFlag, size, data.ToArray());
    }

    uint Add(string name, BtfKind kind, uint vlen, bool kindFlag, uint sizeOrType, uint[] data)
    {
        words.Add(String(name));
        words.Add(((uint)kind << 24) | vlen | (kindFlag ? 1u << 31 : 0));
        words.Add(sizeOrType);
        words.AddRange(data);
        return next++;
    }

    uint String(string s)
    {
        if (offsets.TryGetValue(s, out uint o)) return o;
        o = (uint)strings.Count;
        strings.AddRange(Encoding.UTF8.GetBytes(s));
        strings.Add(0);
        offsets[s] = o;
        return o;
    }
}
