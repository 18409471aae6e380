namespace BpfSharp.Btf.Dump;

// Layout as libbpf infers it from BTF alone (btf__align_of, btf__resolve_size): the dumped text must reproduce the
// original offsets, so packing and padding are decided by the same rules.
public sealed partial class BtfCDumper
{
    readonly sbyte[] alignments; // alignment + 1; 0 = not computed yet

    /// <summary>
    /// The alignment C gives type <paramref name="id"/>: its size for scalars (capped at the pointer size), the
    /// largest member alignment for aggregates, 1 for an aggregate whose layout shows it is packed, 0 for types
    /// with no alignment (void, forward declarations, functions).
    /// </summary>
    int AlignOf(uint id, int depth)
    {
        Enter(id, depth);
        if (alignments[id] != 0) return alignments[id] - 1;
        BtfType t = Type(id);
        int alignment = t.Kind switch
        {
            BtfKind.Int or BtfKind.Enum or BtfKind.Enum64 or BtfKind.Float => (int)Math.Min((uint)pointerSize, t.Size),
            BtfKind.Pointer => pointerSize,
            BtfKind.Typedef or BtfKind.Volatile or BtfKind.Const or BtfKind.Restrict or BtfKind.TypeTag => AlignOf(t.TypeId, depth + 1),
            BtfKind.Array => AlignOf(t.ElementTypeId, depth + 1),
            BtfKind.Struct or BtfKind.Union => AggregateAlignment(t, depth),
            _ => 0,
        };
        alignments[id] = (sbyte)(Math.Clamp(alignment, 0, 126) + 1);
        return alignment;
    }

    int AggregateAlignment(BtfType t, int depth)
    {
        IReadOnlyList<BtfMember> members = t.Members;
        int largest = 1;
        for (int i = 0; i < members.Count; i++)
        {
            BtfMember m = members[i];
            int alignment = AlignOf(m.TypeId, depth + 1);
            if (alignment <= 0) return alignment;
            largest = Math.Max(largest, alignment);
            if (m.BitfieldSize == 0 && m.BitOffset % (8u * (uint)alignment) != 0) return 1; // misaligned: packed
        }
        return t.Size % largest != 0 ? 1 : largest;
    }

    /// <summary>Whether a struct's member offsets or size show it was declared packed.</summary>
    bool IsPacked(BtfType t)
    {
        IReadOnlyList<BtfMember> members = t.Members;
        int largest = 1;
        for (int i = 0; i < members.Count; i++)
        {
            BtfMember m = members[i];
            int alignment = AlignOf(m.TypeId, 0);
            if (alignment != 0 && m.BitfieldSize == 0 && m.BitOffset % (8u * (uint)alignment) != 0) return true;
            largest = Math.Max(largest, alignment);
        }
        return t.Size % largest != 0;
    }

    /// <summary>The size in bytes of type <paramref name="id"/>, or a negative number when it has none.</summary>
    long ResolveSize(uint id)
    {
        const int MaxHops = 32;
        ulong elements = 1;
        for (int hop = 0; hop < MaxHops; hop++)
        {
            BtfType t = Type(id);
            if (id == 0 || t.Kind == BtfKind.Forward) return -1;
            switch (t.Kind)
            {
                case BtfKind.Int or BtfKind.Struct or BtfKind.Union or BtfKind.Enum or BtfKind.Enum64
                    or BtfKind.DataSection or BtfKind.Float:
                    return Total(t.Size);
                case BtfKind.Pointer:
                    return Total((uint)pointerSize);
                case BtfKind.Typedef or BtfKind.Volatile or BtfKind.Const or BtfKind.Restrict or BtfKind.Var
                    or BtfKind.DeclTag or BtfKind.TypeTag:
                    id = t.TypeId;
                    break;
                case BtfKind.Array:
                    if (elements != 0 && t.ElementCount > uint.MaxValue / elements) return -1;
                    elements *= t.ElementCount;
                    id = t.ElementTypeId;
                    break;
                default:
                    return -1;
            }
        }
        return -1;

        long Total(uint size) => elements != 0 && size > uint.MaxValue / elements ? -1 : (long)(elements * size);
    }

    /// <summary>The size of <c>long</c> in the BTF (4 or 8), or 8 when no long-named integer says.</summary>
    int GuessPointerSize()
    {
        for (uint id = 1; id < typeCount; id++)
        {
            BtfType t = Type(id);
            if (t.Kind != BtfKind.Int || (t.Size != 4 && t.Size != 8)) continue;
            if (t.Name is "long" or "long int" or "int long" or "unsigned long" or "long unsigned" or "unsigned long int"
                or "unsigned int long" or "long unsigned int" or "long int unsigned" or "int unsigned long"
                or "int long unsigned")
                return (int)t.Size;
        }
        return 8;
    }
}
