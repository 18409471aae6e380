namespace BpfSharp.Btf;

public sealed partial class BtfSpec
{
    /// <summary>How far chains of typedefs, qualifiers and arrays are followed before the graph counts as cyclic (libbpf's limit).</summary>
    const int MaxResolveDepth = 32;

    /// <summary>BPF pointers are 8 bytes, whatever the host.</summary>
    const int PointerSize = 8;

    /// <summary>Follows typedefs and qualifiers (const, volatile, restrict, type tags) to the underlying type.</summary>
    public BtfType SkipModifiers(uint id)
    {
        for (int hops = 0; hops < MaxResolveDepth; hops++)
        {
            BtfType t = this[id];
            if (t.Kind is not (BtfKind.Typedef or BtfKind.Const or BtfKind.Volatile or BtfKind.Restrict or BtfKind.TypeTag))
                return t;
            id = t.TypeId;
        }
        throw Cycle(id, "typedef/qualifier");
    }

    /// <summary>Follows qualifiers (const, volatile, restrict, type tags) but stops at typedefs.</summary>
    public BtfType SkipQualifiers(uint id)
    {
        for (int hops = 0; hops < MaxResolveDepth; hops++)
        {
            BtfType t = this[id];
            if (!t.IsQualifier) return t;
            id = t.TypeId;
        }
        throw Cycle(id, "qualifier");
    }

    /// <summary>
    /// The id reached by following qualifiers, typedefs and VARs, like libbpf's <c>btf__resolve_type</c>; throws when
    /// that ends at void.
    /// </summary>
    public uint ResolveType(uint id)
    {
        for (int hops = 0; hops < MaxResolveDepth; hops++)
        {
            BtfType t = this[id];
            if (t.Id == 0) throw new BtfFormatException($"BTF type {id} resolves to void.");
            if (!(t.IsQualifier || t.Kind is BtfKind.Typedef or BtfKind.Var)) return id;
            id = t.TypeId;
        }
        throw Cycle(id, "typedef/qualifier/var");
    }

    /// <summary>
    /// The size in bytes of a type, like libbpf's <c>btf__resolve_size</c>: follows typedefs, qualifiers, VARs and
    /// tags, multiplies array dimensions, pointers are 8. Throws for kinds without a size (void, FUNC, FWD …) and
    /// for sizes above 4 GiB.
    /// </summary>
    public long SizeOf(uint id)
    {
        long elements = 1;
        uint start = id;
        for (int hops = 0; hops < MaxResolveDepth; hops++)
        {
            BtfType t = this[id];
            long size;
            switch (t.Kind)
            {
                case BtfKind.Int or BtfKind.Struct or BtfKind.Union or BtfKind.Enum or BtfKind.Enum64
                    or BtfKind.DataSection or BtfKind.Float:
                    size = t.Size;
                    break;
                case BtfKind.Pointer:
                    size = PointerSize;
                    break;
                case BtfKind.Typedef or BtfKind.Volatile or BtfKind.Const or BtfKind.Restrict or BtfKind.Var
                    or BtfKind.DeclTag or BtfKind.TypeTag:
                    id = t.TypeId;
                    continue;
                case BtfKind.Array:
                    elements *= t.ElementCount;
                    if (elements > uint.MaxValue) throw TooBig(start);
                    id = t.ElementTypeId;
                    continue;
                default:
                    throw new BtfFormatException($"BTF type {t} has no size.");
            }
            long total = elements * size;
            if (total > uint.MaxValue) throw TooBig(start);
            return total;
        }
        throw Cycle(start, "size");
    }

    /// <summary>
    /// The alignment in bytes of a type, by libbpf's <c>btf__align_of</c> rules: scalars align to their size (at most
    /// 8), pointers to 8, arrays to their element, a struct or union to its most aligned member — or 1 when a member
    /// sits off its alignment or the size is not a multiple of it (a packed type).
    /// </summary>
    public int Alignment(uint id) => Alignment(id, new Dictionary<uint, int>());

    /// <param name="known">Answers so far for this query, 0 while a type is being worked out: shared sub-structs are
    /// visited once, and a struct that contains itself is reported instead of recursing forever.</param>
    int Alignment(uint id, Dictionary<uint, int> known)
    {
        if (known.TryGetValue(id, out int answer))
            return answer != 0 ? answer : throw Cycle(id, "member");
        known[id] = 0;
        BtfType t = this[id];
        answer = t.Kind switch
        {
            BtfKind.Int or BtfKind.Enum or BtfKind.Enum64 or BtfKind.Float => (int)Math.Clamp(t.Size, 1u, PointerSize),
            BtfKind.Pointer => PointerSize,
            BtfKind.Typedef or BtfKind.Volatile or BtfKind.Const or BtfKind.Restrict or BtfKind.TypeTag => Alignment(t.TypeId, known),
            BtfKind.Array => Alignment(t.ElementTypeId, known),
            BtfKind.Struct or BtfKind.Union => CompositeAlignment(t, known),
            _ => throw new BtfFormatException($"BTF type {t} has no alignment."),
        };
        known[id] = answer;
        return answer;
    }

    int CompositeAlignment(BtfType t, Dictionary<uint, int> known)
    {
        int max = 1;
        foreach (BtfMember m in t.Members)
        {
            int align = Alignment(m.TypeId, known);
            max = Math.Max(max, align);
            // A member off its natural alignment means the struct is packed.
            if (m.BitfieldSize == 0 && m.BitOffset % (8u * (uint)align) != 0) return 1;
        }
        return t.Size % (uint)max != 0 ? 1 : max;
    }

    static BtfFormatException Cycle(uint id, string what) =>
        new($"BTF type {id}: the {what} chain is longer than {MaxResolveDepth} links (a cycle?).");

    static BtfFormatException TooBig(uint id) => new($"BTF type {id} is larger than 4 GiB.");
}
