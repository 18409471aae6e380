using System.Buffers.Binary;
using System.Text;

namespace BpfSharp.Btf;

/// <summary>
/// Writes a raw BTF blob type by type. Ids are handed out in order (from 1, or after the base for split BTF); type
/// references inside the types are written as given. Names go into a deduplicated string table.
/// </summary>
/// <remarks>
/// <c>BtfSpec.Parse(BtfBuilder.From(spec).Build())</c> gives back the same types with the same ids and names; the
/// string table may be laid out differently, so a caller that keeps string offsets of its own (line info in
/// <c>.BTF.ext</c>) re-adds those strings with <see cref="AddString"/> and uses the offsets it returns.
/// </remarks>
public sealed class BtfBuilder
{
    readonly List<BtfType> types = [];
    readonly Dictionary<string, uint> stringOffsets = new(StringComparer.Ordinal) { [""] = 0 };
    byte[] strings;
    int stringLength;

    /// <summary>A builder for standalone BTF (ids from 1).</summary>
    public BtfBuilder()
    {
        strings = new byte[256];
        stringLength = 1; // the empty name at offset 0
    }

    /// <summary>A builder for split BTF on top of <paramref name="baseSpec"/>: ids and string offsets continue after the base's.</summary>
    public BtfBuilder(BtfSpec baseSpec)
    {
        ArgumentNullException.ThrowIfNull(baseSpec);
        Base = baseSpec;
        strings = new byte[256];
        stringLength = 0; // split string sections start with their first own string; "" is the base's offset 0
    }

    /// <summary>The base this builder's split BTF extends, or null.</summary>
    public BtfSpec? Base { get; }

    /// <summary>The id of the first type added: 1, or the base's type count.</summary>
    public uint FirstTypeId => Base is null ? 1 : (uint)Base.TypeCount;

    /// <summary>The id the next <see cref="Add"/> returns.</summary>
    public uint NextId => FirstTypeId + (uint)types.Count;

    /// <summary>The types added so far, in id order (without the base's).</summary>
    public IReadOnlyList<BtfType> Types => types;

    /// <summary>A type added earlier, with its id.</summary>
    public BtfType this[uint id] => types[Index(id)] with { Id = id };

    /// <summary>A builder holding every type of <paramref name="spec"/> (its own types, on the same base for split BTF) in id order.</summary>
    public static BtfBuilder From(BtfSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var builder = spec.Base is null ? new BtfBuilder() : new BtfBuilder(spec.Base);
        builder.types.Capacity = spec.TypeCount - (int)spec.FirstTypeId;
        for (uint id = spec.FirstTypeId; id < spec.TypeCount; id++) builder.Add(spec[id]);
        return builder;
    }

    /// <summary>
    /// Adds a type of any kind and returns its id. <see cref="BtfType.Id"/> is ignored; the ids the type refers to
    /// are written as they are.
    /// </summary>
    /// <exception cref="ArgumentException">The type cannot be encoded (void, more elements than BTF counts, a bitfield size in a struct without the kind flag …).</exception>
    public uint Add(BtfType type)
    {
        Check(type);
        AddNames(type);
        types.Add(type);
        return NextId - 1;
    }

    /// <summary>Replaces a type added earlier (its id stays), e.g. to fill in a DATASEC's size.</summary>
    public void Replace(uint id, BtfType type)
    {
        int index = Index(id);
        Check(type);
        AddNames(type);
        types[index] = type;
    }

    /// <summary>Adds a string to the string table (once) and returns its offset, e.g. for <c>.BTF.ext</c> line info.</summary>
    public uint AddString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (stringOffsets.TryGetValue(value, out uint offset)) return offset;
        if (value.Contains('\0')) throw new ArgumentException("A BTF string cannot contain NUL.", nameof(value));
        int byteCount = Encoding.UTF8.GetByteCount(value) + 1;
        if (stringLength + byteCount > strings.Length) Array.Resize(ref strings, Math.Max(strings.Length * 2, stringLength + byteCount));
        offset = StringBase + (uint)stringLength;
        Encoding.UTF8.GetBytes(value, strings.AsSpan(stringLength));
        stringLength += byteCount;
        strings[stringLength - 1] = 0;
        stringOffsets[value] = offset;
        return offset;
    }

    /// <summary>An integer type; <paramref name="signed"/>, <paramref name="isChar"/> and <paramref name="isBool"/> set its encoding.</summary>
    public uint AddInt(string name, uint size, bool signed = false, bool isChar = false, bool isBool = false, uint bits = 0)
    {
        byte encoding = (byte)((signed ? BtfIntEncoding.Signed : 0) | (isChar ? BtfIntEncoding.Char : 0) | (isBool ? BtfIntEncoding.Bool : 0));
        return Add(new BtfType { Kind = BtfKind.Int, Name = name, Size = size, IntEncoding = encoding, IntBits = (byte)(bits == 0 ? size * 8 : bits) });
    }

    /// <summary>A pointer to <paramref name="targetId"/> (0 for <c>void *</c>).</summary>
    public uint AddPointer(uint targetId) => Add(new BtfType { Kind = BtfKind.Pointer, TypeId = targetId });

    /// <summary>An array of <paramref name="count"/> elements.</summary>
    public uint AddArray(uint elementId, uint indexId, uint count) =>
        Add(new BtfType { Kind = BtfKind.Array, ElementTypeId = elementId, IndexTypeId = indexId, ElementCount = count });

    /// <summary>A struct whose members are (name, type id, bit offset).</summary>
    public uint AddStruct(string name, uint size, params ReadOnlySpan<(string Name, uint TypeId, uint BitOffset)> members) =>
        Add(new BtfType { Kind = BtfKind.Struct, Name = name, Size = size, Members = Members(members) });

    /// <summary>A union whose members are (name, type id, bit offset).</summary>
    public uint AddUnion(string name, uint size, params ReadOnlySpan<(string Name, uint TypeId, uint BitOffset)> members) =>
        Add(new BtfType { Kind = BtfKind.Union, Name = name, Size = size, Members = Members(members) });

    /// <summary>A struct or union with bitfields: members carry their bitfield size (the kind flag is set).</summary>
    public uint AddComposite(BtfKind kind, string name, uint size, params ReadOnlySpan<BtfMember> members)
    {
        if (kind is not (BtfKind.Struct or BtfKind.Union)) throw new ArgumentException($"{kind} is not a struct or union kind.", nameof(kind));
        BtfMember[] list = members.ToArray();
        return Add(new BtfType { Kind = kind, Name = name, Size = size, Members = list, KindFlag = Array.Exists(list, m => m.IsBitfield) });
    }

    /// <summary>An ENUM of 1, 2, 4 (or 8) bytes.</summary>
    public uint AddEnum(string name, uint size, bool signed, params ReadOnlySpan<(string Name, long Value)> values) =>
        Add(new BtfType { Kind = BtfKind.Enum, Name = name, Size = size, KindFlag = signed, EnumValues = EnumValues(values) });

    /// <summary>An ENUM64 (64-bit enumerator values).</summary>
    public uint AddEnum64(string name, uint size, bool signed, params ReadOnlySpan<(string Name, long Value)> values) =>
        Add(new BtfType { Kind = BtfKind.Enum64, Name = name, Size = size, KindFlag = signed, EnumValues = EnumValues(values) });

    /// <summary>A forward declaration of a struct, or of a union when <paramref name="union"/> is set.</summary>
    public uint AddForward(string name, bool union = false) => Add(new BtfType { Kind = BtfKind.Forward, Name = name, KindFlag = union });

    /// <summary>A typedef naming <paramref name="targetId"/>.</summary>
    public uint AddTypedef(string name, uint targetId) => Add(new BtfType { Kind = BtfKind.Typedef, Name = name, TypeId = targetId });

    /// <summary><c>volatile</c> <paramref name="targetId"/>.</summary>
    public uint AddVolatile(uint targetId) => Add(new BtfType { Kind = BtfKind.Volatile, TypeId = targetId });

    /// <summary><c>const</c> <paramref name="targetId"/>.</summary>
    public uint AddConst(uint targetId) => Add(new BtfType { Kind = BtfKind.Const, TypeId = targetId });

    /// <summary><c>restrict</c> <paramref name="targetId"/>.</summary>
    public uint AddRestrict(uint targetId) => Add(new BtfType { Kind = BtfKind.Restrict, TypeId = targetId });

    /// <summary>A function: its name, its FUNC_PROTO and its linkage.</summary>
    public uint AddFunc(string name, uint protoId, BtfLinkage linkage = BtfLinkage.Static) =>
        Add(new BtfType { Kind = BtfKind.Func, Name = name, TypeId = protoId, Linkage = (int)linkage });

    /// <summary>A function prototype; <paramref name="variadic"/> appends the unnamed void parameter that stands for <c>...</c>.</summary>
    public uint AddFuncProto(uint returnTypeId, ReadOnlySpan<(string Name, uint TypeId)> parameters, bool variadic = false)
    {
        var list = new BtfParameter[parameters.Length + (variadic ? 1 : 0)];
        for (int i = 0; i < parameters.Length; i++) list[i] = new BtfParameter(parameters[i].Name, parameters[i].TypeId);
        if (variadic) list[^1] = new BtfParameter("", 0);
        return Add(new BtfType { Kind = BtfKind.FuncProto, TypeId = returnTypeId, Parameters = list });
    }

    /// <summary>A variable of <paramref name="typeId"/>.</summary>
    public uint AddVar(string name, uint typeId, BtfLinkage linkage = BtfLinkage.Global) =>
        Add(new BtfType { Kind = BtfKind.Var, Name = name, TypeId = typeId, Linkage = (int)linkage });

    /// <summary>A data section (<c>.data</c>, <c>.bss</c> …) placing variables at byte offsets.</summary>
    public uint AddDataSection(string name, uint size, params ReadOnlySpan<BtfSectionVariable> variables) =>
        Add(new BtfType { Kind = BtfKind.DataSection, Name = name, Size = size, Variables = variables.ToArray() });

    /// <summary>A floating-point type of 2, 4, 8, 12 or 16 bytes.</summary>
    public uint AddFloat(string name, uint size) => Add(new BtfType { Kind = BtfKind.Float, Name = name, Size = size });

    /// <summary>A declaration tag on a type, or on one of its members/parameters (<paramref name="componentIndex"/> ≥ 0).</summary>
    public uint AddDeclTag(string tag, uint targetId, int componentIndex = -1) =>
        Add(new BtfType { Kind = BtfKind.DeclTag, Name = tag, TypeId = targetId, ComponentIndex = componentIndex });

    /// <summary>A type tag (e.g. <c>__user</c>, <c>__rcu</c>) on <paramref name="targetId"/>.</summary>
    public uint AddTypeTag(string tag, uint targetId) => Add(new BtfType { Kind = BtfKind.TypeTag, Name = tag, TypeId = targetId });

    /// <summary>The blob: header, type section, string section.</summary>
    public byte[] Build()
    {
        long typeBytes = 0;
        foreach (BtfType t in types) typeBytes += EncodedSize(t);
        long total = BtfWire.HeaderSize + typeBytes + stringLength;
        if (total > Array.MaxLength) throw new InvalidOperationException($"The BTF would be {total} bytes, more than an array holds.");
        byte[] blob = new byte[total];
        Span<byte> s = blob;
        BinaryPrimitives.WriteUInt16LittleEndian(s, BtfWire.Magic);
        s[2] = BtfWire.Version;
        BinaryPrimitives.WriteUInt32LittleEndian(s[4..], BtfWire.HeaderSize);
        BinaryPrimitives.WriteUInt32LittleEndian(s[8..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(s[12..], (uint)typeBytes);
        BinaryPrimitives.WriteUInt32LittleEndian(s[16..], (uint)typeBytes);
        BinaryPrimitives.WriteUInt32LittleEndian(s[20..], (uint)stringLength);
        int pos = BtfWire.HeaderSize;
        foreach (BtfType t in types) pos = Encode(t, s, pos);
        strings.AsSpan(0, stringLength).CopyTo(s[pos..]);
        return blob;
    }

    /// <summary>Builds and parses: the types as a spec (on the same base for split BTF).</summary>
    public BtfSpec ToSpec() => Base is null ? BtfSpec.Parse(Build()) : BtfSpec.Parse(Build(), Base);

    uint StringBase => Base?.StringEnd ?? 0;

    int Index(uint id)
    {
        uint index = id - FirstTypeId;
        if (id < FirstTypeId || index >= (uint)types.Count)
            throw new ArgumentOutOfRangeException(nameof(id), id, $"This builder holds type ids {FirstTypeId} to {NextId - 1}.");
        return (int)index;
    }

    static BtfMember[] Members(ReadOnlySpan<(string Name, uint TypeId, uint BitOffset)> members)
    {
        var list = new BtfMember[members.Length];
        for (int i = 0; i < members.Length; i++) list[i] = new BtfMember(members[i].Name, members[i].TypeId, members[i].BitOffset, 0);
        return list;
    }

    static BtfEnumValue[] EnumValues(ReadOnlySpan<(string Name, long Value)> values)
    {
        var list = new BtfEnumValue[values.Length];
        for (int i = 0; i < values.Length; i++) list[i] = new BtfEnumValue(values[i].Name, values[i].Value);
        return list;
    }

    void AddNames(BtfType t)
    {
        AddString(t.Name);
        foreach (BtfMember m in t.Members) AddString(m.Name);
        foreach (BtfEnumValue v in t.EnumValues) AddString(v.Name);
        foreach (BtfParameter p in t.Parameters) AddString(p.Name);
    }

    /// <summary>Rejects what the wire format cannot say, so nothing is silently lost in <see cref="Build"/>.</summary>
    static void Check(BtfType t)
    {
        ArgumentNullException.ThrowIfNull(t);
        if (!BtfWire.Trailer(t.Kind, out _, out _))
            throw new ArgumentException($"{t}: kind {t.Kind} cannot be encoded.", nameof(t));
        int elements = t.Members.Count + t.EnumValues.Count + t.Parameters.Count + t.Variables.Count;
        if (elements > MaxVlen) throw new ArgumentException($"{t}: {elements} elements, more than BTF's vlen holds ({MaxVlen}).", nameof(t));
        if (t.Kind == BtfKind.Func && (uint)t.Linkage > MaxVlen) throw new ArgumentException($"{t}: linkage {t.Linkage} does not fit in vlen.", nameof(t));
        if (t.Kind is BtfKind.Struct or BtfKind.Union)
        {
            foreach (BtfMember m in t.Members)
            {
                if (!t.KindFlag && m.BitfieldSize != 0)
                    throw new ArgumentException($"{t}: member '{m.Name}' has a bitfield size, which only a struct with the kind flag can encode.", nameof(t));
                if (t.KindFlag && m.BitOffset > 0xffffff)
                    throw new ArgumentException($"{t}: member '{m.Name}' bit offset {m.BitOffset} exceeds the 24 bits a kind-flag struct has for it.", nameof(t));
            }
        }
        if (t.Kind == BtfKind.Enum)
            foreach (BtfEnumValue v in t.EnumValues)
                if (v.Value is < int.MinValue or > uint.MaxValue)
                    throw new ArgumentException($"{t}: value {v.Value} of '{v.Name}' does not fit an ENUM's 32 bits; use ENUM64.", nameof(t));
    }

    const int MaxVlen = 0xffff;

    static int EncodedSize(BtfType t)
    {
        BtfWire.Trailer(t.Kind, out int fixedBytes, out int perElement);
        return BtfWire.TypeHeaderSize + fixedBytes + perElement * (t.Members.Count + t.EnumValues.Count + t.Parameters.Count + t.Variables.Count);
    }

    int Encode(BtfType t, Span<byte> s, int pos)
    {
        int vlen = t.Kind switch
        {
            BtfKind.Struct or BtfKind.Union => t.Members.Count,
            BtfKind.Enum or BtfKind.Enum64 => t.EnumValues.Count,
            BtfKind.FuncProto => t.Parameters.Count,
            BtfKind.DataSection => t.Variables.Count,
            BtfKind.Func => t.Linkage,
            _ => 0,
        };
        uint sizeOrType = t.Kind switch
        {
            BtfKind.Int or BtfKind.Struct or BtfKind.Union or BtfKind.Enum or BtfKind.Enum64 or BtfKind.DataSection or BtfKind.Float => t.Size,
            BtfKind.Array => 0,
            _ => t.TypeId,
        };
        pos = Word(s, pos, stringOffsets[t.Name]);
        pos = Word(s, pos, BtfWire.Info(t.Kind, vlen, t.KindFlag));
        pos = Word(s, pos, sizeOrType);
        switch (t.Kind)
        {
            case BtfKind.Int:
                pos = Word(s, pos, ((uint)(t.IntEncoding & 0xf) << 24) | ((uint)t.IntOffset << 16) | t.IntBits);
                break;
            case BtfKind.Array:
                pos = Word(s, pos, t.ElementTypeId);
                pos = Word(s, pos, t.IndexTypeId);
                pos = Word(s, pos, t.ElementCount);
                break;
            case BtfKind.Struct or BtfKind.Union:
                foreach (BtfMember m in t.Members)
                {
                    pos = Word(s, pos, stringOffsets[m.Name]);
                    pos = Word(s, pos, m.TypeId);
                    pos = Word(s, pos, t.KindFlag ? ((uint)m.BitfieldSize << 24) | m.BitOffset : m.BitOffset);
                }
                break;
            case BtfKind.Enum:
                foreach (BtfEnumValue v in t.EnumValues)
                {
                    pos = Word(s, pos, stringOffsets[v.Name]);
                    pos = Word(s, pos, (uint)v.Value);
                }
                break;
            case BtfKind.Enum64:
                foreach (BtfEnumValue v in t.EnumValues)
                {
                    pos = Word(s, pos, stringOffsets[v.Name]);
                    pos = Word(s, pos, (uint)v.Value);
                    pos = Word(s, pos, (uint)((ulong)v.Value >> 32));
                }
                break;
            case BtfKind.FuncProto:
                foreach (BtfParameter p in t.Parameters)
                {
                    pos = Word(s, pos, stringOffsets[p.Name]);
                    pos = Word(s, pos, p.TypeId);
                }
                break;
            case BtfKind.Var or BtfKind.DeclTag:
                pos = Word(s, pos, (uint)t.Linkage);
                break;
            case BtfKind.DataSection:
                foreach (BtfSectionVariable v in t.Variables)
                {
                    pos = Word(s, pos, v.TypeId);
                    pos = Word(s, pos, v.Offset);
                    pos = Word(s, pos, v.Size);
                }
                break;
        }
        return pos;
    }

    static int Word(Span<byte> s, int pos, uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(s[pos..], value);
        return pos + 4;
    }
}
