using System.Buffers.Binary;
using System.Text;

namespace BpfSharp.Btf;

/// <summary>
/// Parsed BTF: every type of a blob (kernel BTF such as <c>/sys/kernel/btf/vmlinux</c>, or an object's
/// <c>.BTF</c> section), addressable by id and by name.
/// </summary>
public sealed class BtfSpec
{
    const ushort Magic = 0xEB9F;
    const int HeaderSize = 24;

    readonly List<BtfType> types;
    Dictionary<string, List<BtfType>>? byName;

    BtfSpec(List<BtfType> types) => this.types = types;

    /// <summary>All types; index = type id, index 0 is void.</summary>
    public IReadOnlyList<BtfType> Types => types;

    public static BtfSpec LoadKernel() => Parse(File.ReadAllBytes("/sys/kernel/btf/vmlinux"));

    /// <summary>Parses a raw BTF blob (little-endian). Throws <see cref="BtfFormatException"/> on malformed input.</summary>
    public static BtfSpec Parse(ReadOnlySpan<byte> blob)
    {
        if (blob.Length < HeaderSize)
            throw new BtfFormatException($"BTF is {blob.Length} bytes, shorter than its {HeaderSize}-byte header.");
        ushort magic = BinaryPrimitives.ReadUInt16LittleEndian(blob);
        if (magic == 0x9FEB)
            throw new BtfFormatException("BTF is big-endian; only little-endian BTF is supported.");
        if (magic != Magic)
            throw new BtfFormatException($"BTF magic is 0x{magic:x4}, expected 0x{Magic:x4}.");
        uint hdrLen = ReadU32(blob, 4);
        uint typeOff = ReadU32(blob, 8), typeLen = ReadU32(blob, 12);
        uint strOff = ReadU32(blob, 16), strLen = ReadU32(blob, 20);
        if (hdrLen < HeaderSize || hdrLen > blob.Length)
            throw new BtfFormatException($"BTF header length {hdrLen} is outside the blob ({blob.Length} bytes).");
        ReadOnlySpan<byte> body = blob[(int)hdrLen..];
        ReadOnlySpan<byte> typeSection = Slice(body, typeOff, typeLen, "type");
        ReadOnlySpan<byte> strings = Slice(body, strOff, strLen, "string");
        return new BtfSpec(ParseTypes(typeSection, strings, hdrLen + typeOff));
    }

    /// <summary>The type with this id; throws when the id is out of range.</summary>
    public BtfType this[uint id] => id < types.Count
        ? types[(int)id]
        : throw new BtfFormatException($"BTF type id {id} is out of range (the blob has {types.Count - 1} types).");

    /// <summary>All types with this name (several kinds may share one, e.g. a struct and a FWD).</summary>
    public IReadOnlyList<BtfType> FindByName(string name)
    {
        byName ??= BuildNameIndex();
        return byName.TryGetValue(name, out var list) ? list : [];
    }

    /// <summary>The one type with this name and kind, or null.</summary>
    public BtfType? Find(string name, BtfKind kind)
    {
        foreach (BtfType t in FindByName(name))
            if (t.Kind == kind) return t;
        return null;
    }

    /// <summary>Follows typedefs and qualifiers (const, volatile, restrict, type tags) to the underlying type.</summary>
    public BtfType SkipModifiers(uint id)
    {
        for (int hops = 0; hops < 64; hops++)
        {
            BtfType t = this[id];
            if (t.Kind is not (BtfKind.Typedef or BtfKind.Const or BtfKind.Volatile or BtfKind.Restrict or BtfKind.TypeTag))
                return t;
            id = t.TypeId;
        }
        throw new BtfFormatException($"BTF type {id}: more than 64 typedef/qualifier hops (a cycle?).");
    }

    /// <summary>The size in bytes of a type (arrays multiply, pointers are 8).</summary>
    public long SizeOf(uint id)
    {
        for (int hops = 0; hops < 64; hops++)
        {
            BtfType t = SkipModifiers(id);
            switch (t.Kind)
            {
                case BtfKind.Int or BtfKind.Struct or BtfKind.Union or BtfKind.Enum or BtfKind.Enum64
                    or BtfKind.DataSection or BtfKind.Float:
                    return t.Size;
                case BtfKind.Pointer:
                    return 8;
                case BtfKind.Array:
                    return t.ElementCount * SizeOf(t.ElementTypeId);
                case BtfKind.Var:
                    id = t.TypeId;
                    continue;
                default:
                    throw new BtfFormatException($"BTF type {t} has no size.");
            }
        }
        throw new BtfFormatException($"BTF type {id}: size lookup does not terminate.");
    }

    Dictionary<string, List<BtfType>> BuildNameIndex()
    {
        var index = new Dictionary<string, List<BtfType>>(StringComparer.Ordinal);
        foreach (BtfType t in types)
        {
            if (t.Name.Length == 0) continue;
            if (!index.TryGetValue(t.Name, out var list)) index[t.Name] = list = new List<BtfType>(1);
            list.Add(t);
        }
        return index;
    }

    static List<BtfType> ParseTypes(ReadOnlySpan<byte> data, ReadOnlySpan<byte> strings, uint baseOffset)
    {
        var names = new StringCache(strings);
        var result = new List<BtfType> { new() { Id = 0, Kind = BtfKind.Unknown, Name = "void" } };
        int pos = 0;
        while (pos < data.Length)
        {
            uint at = baseOffset + (uint)pos;
            Need(data, pos, 12, at, "type header");
            string name = names.Get(ReadU32(data, pos), at);
            uint info = ReadU32(data, pos + 4);
            uint sizeOrType = ReadU32(data, pos + 8);
            pos += 12;
            var kind = (BtfKind)((info >> 24) & 0x1f);
            int vlen = (int)(info & 0xffff);
            bool kindFlag = (info >> 31) != 0;
            uint id = (uint)result.Count;
            BtfType type;
            switch (kind)
            {
                case BtfKind.Int:
                {
                    Need(data, pos, 4, at, "INT encoding");
                    uint enc = ReadU32(data, pos);
                    pos += 4;
                    type = new BtfType
                    {
                        Id = id, Kind = kind, Name = name, KindFlag = kindFlag, Size = sizeOrType,
                        IntEncoding = (byte)((enc >> 24) & 0xf), IntOffset = (byte)(enc >> 16), IntBits = (byte)enc,
                    };
                    break;
                }
                case BtfKind.Pointer or BtfKind.Forward or BtfKind.Typedef or BtfKind.Volatile or BtfKind.Const
                    or BtfKind.Restrict or BtfKind.TypeTag:
                    type = new BtfType { Id = id, Kind = kind, Name = name, KindFlag = kindFlag, TypeId = sizeOrType };
                    break;
                case BtfKind.Func:
                    type = new BtfType { Id = id, Kind = kind, Name = name, TypeId = sizeOrType, Linkage = vlen };
                    break;
                case BtfKind.Float:
                    type = new BtfType { Id = id, Kind = kind, Name = name, Size = sizeOrType };
                    break;
                case BtfKind.Array:
                    Need(data, pos, 12, at, "ARRAY data");
                    type = new BtfType
                    {
                        Id = id, Kind = kind, Name = name,
                        ElementTypeId = ReadU32(data, pos), IndexTypeId = ReadU32(data, pos + 4), ElementCount = ReadU32(data, pos + 8),
                    };
                    pos += 12;
                    break;
                case BtfKind.Struct or BtfKind.Union:
                {
                    Need(data, pos, 12L * vlen, at, "members");
                    var members = new BtfMember[vlen];
                    for (int i = 0; i < vlen; i++, pos += 12)
                    {
                        uint offset = ReadU32(data, pos + 8);
                        members[i] = kindFlag
                            ? new BtfMember(names.Get(ReadU32(data, pos), at), ReadU32(data, pos + 4), offset & 0xffffff, (byte)(offset >> 24))
                            : new BtfMember(names.Get(ReadU32(data, pos), at), ReadU32(data, pos + 4), offset, 0);
                    }
                    type = new BtfType { Id = id, Kind = kind, Name = name, KindFlag = kindFlag, Size = sizeOrType, Members = members };
                    break;
                }
                case BtfKind.Enum:
                {
                    Need(data, pos, 8L * vlen, at, "enumerators");
                    var values = new BtfEnumValue[vlen];
                    for (int i = 0; i < vlen; i++, pos += 8)
                    {
                        uint raw = ReadU32(data, pos + 4);
                        values[i] = new BtfEnumValue(names.Get(ReadU32(data, pos), at), kindFlag ? (int)raw : raw);
                    }
                    type = new BtfType { Id = id, Kind = kind, Name = name, KindFlag = kindFlag, Size = sizeOrType, EnumValues = values };
                    break;
                }
                case BtfKind.Enum64:
                {
                    Need(data, pos, 12L * vlen, at, "enumerators");
                    var values = new BtfEnumValue[vlen];
                    for (int i = 0; i < vlen; i++, pos += 12)
                    {
                        ulong v = ReadU32(data, pos + 4) | ((ulong)ReadU32(data, pos + 8) << 32);
                        values[i] = new BtfEnumValue(names.Get(ReadU32(data, pos), at), (long)v);
                    }
                    type = new BtfType { Id = id, Kind = kind, Name = name, KindFlag = kindFlag, Size = sizeOrType, EnumValues = values };
                    break;
                }
                case BtfKind.FuncProto:
                {
                    Need(data, pos, 8L * vlen, at, "parameters");
                    var parameters = new BtfParameter[vlen];
                    for (int i = 0; i < vlen; i++, pos += 8)
                        parameters[i] = new BtfParameter(names.Get(ReadU32(data, pos), at), ReadU32(data, pos + 4));
                    type = new BtfType { Id = id, Kind = kind, Name = name, TypeId = sizeOrType, Parameters = parameters };
                    break;
                }
                case BtfKind.Var:
                    Need(data, pos, 4, at, "VAR linkage");
                    type = new BtfType { Id = id, Kind = kind, Name = name, TypeId = sizeOrType, Linkage = (int)ReadU32(data, pos) };
                    pos += 4;
                    break;
                case BtfKind.DataSection:
                {
                    Need(data, pos, 12L * vlen, at, "section variables");
                    var vars = new BtfSectionVariable[vlen];
                    for (int i = 0; i < vlen; i++, pos += 12)
                        vars[i] = new BtfSectionVariable(ReadU32(data, pos), ReadU32(data, pos + 4), ReadU32(data, pos + 8));
                    type = new BtfType { Id = id, Kind = kind, Name = name, Size = sizeOrType, Variables = vars };
                    break;
                }
                case BtfKind.DeclTag:
                    Need(data, pos, 4, at, "DECL_TAG component index");
                    type = new BtfType { Id = id, Kind = kind, Name = name, TypeId = sizeOrType, Linkage = (int)ReadU32(data, pos) };
                    pos += 4;
                    break;
                default:
                    throw new BtfFormatException($"BTF type {id} at byte {at}: unknown kind {(int)kind}.");
            }
            result.Add(type);
        }
        return result;
    }

    static void Need(ReadOnlySpan<byte> data, int pos, long count, uint at, string what)
    {
        if (pos + count > data.Length)
            throw new BtfFormatException($"BTF type at byte {at}: {what} run past the end of the type section.");
    }

    static ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> body, uint off, uint len, string what)
    {
        if ((ulong)off + len > (ulong)body.Length)
            throw new BtfFormatException($"BTF {what} section [{off}, {off + (ulong)len}) lies outside the blob ({body.Length} bytes after the header).");
        return body.Slice((int)off, (int)len);
    }

    static uint ReadU32(ReadOnlySpan<byte> s, int pos) => BinaryPrimitives.ReadUInt32LittleEndian(s[pos..]);

    /// <summary>Decodes string-table entries once each (kernel BTF repeats names a lot).</summary>
    sealed class StringCache(ReadOnlySpan<byte> strings)
    {
        readonly byte[] table = strings.ToArray();
        readonly Dictionary<uint, string> cache = new() { [0] = "" };

        public string Get(uint offset, uint at)
        {
            if (cache.TryGetValue(offset, out string? s)) return s;
            if (offset >= table.Length)
                throw new BtfFormatException($"BTF type at byte {at}: name offset {offset} is outside the string table ({table.Length} bytes).");
            int end = Array.IndexOf(table, (byte)0, (int)offset);
            if (end < 0)
                throw new BtfFormatException($"BTF type at byte {at}: the name at offset {offset} is not NUL-terminated.");
            s = Encoding.UTF8.GetString(table, (int)offset, end - (int)offset);
            cache[offset] = s;
            return s;
        }
    }
}
