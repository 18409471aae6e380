namespace BpfSharp.Btf.Core;

/// <summary>
/// libbpf's two compatibility relations: one for type relocations (exists, size, target id) and one for the type of
/// a field found by name. Results follow libbpf: 1 compatible, 0 not, -1 malformed or too deep.
/// </summary>
internal static class CoreCompatibility
{
    const int MaxDepth = 32;

    /// <summary>
    /// Type-relocation compatibility (root names were already matched): same kind after typedefs and qualifiers;
    /// structs, unions, enums and forwards by kind only; integers unless they carry a bit offset; pointers and arrays
    /// by their target or element type; function prototypes by arity and compatible parameter and return types.
    /// </summary>
    public static int TypesAreCompatible(BtfSpec localBtf, uint localId, BtfSpec targetBtf, uint targetId)
    {
        int steps = 0;
        return TypesAreCompatible(localBtf, localId, targetBtf, targetId, MaxDepth, ref steps);
    }

    // As in type matching, a step budget keeps self-referencing prototypes in malformed BTF from taking exponential time.
    const int MaxSteps = 1_000_000;

    static int TypesAreCompatible(BtfSpec localBtf, uint localId, BtfSpec targetBtf, uint targetId, int level, ref int steps)
    {
        BtfType? local = CoreBtf.TypeById(localBtf, localId);
        BtfType? target = CoreBtf.TypeById(targetBtf, targetId);
        if (local is null || target is null) return -1;
        if (!CoreBtf.KindsCompatible(local, target)) return 0;

        for (int depth = MaxDepth; ; )
        {
            if (--depth < 0 || ++steps > MaxSteps) return -1;
            local = CoreBtf.SkipModifiersAndTypedefs(localBtf, localId, out localId);
            target = CoreBtf.SkipModifiersAndTypedefs(targetBtf, targetId, out targetId);
            if (local is null || target is null) return -1;
            if (!CoreBtf.KindsCompatible(local, target)) return 0;

            switch (local.Kind)
            {
                case BtfKind.Unknown or BtfKind.Struct or BtfKind.Union or BtfKind.Enum or BtfKind.Forward or BtfKind.Enum64:
                    return 1;
                case BtfKind.Int:
                    return local.IntOffset == 0 && target.IntOffset == 0 ? 1 : 0;
                case BtfKind.Pointer:
                    localId = local.TypeId;
                    targetId = target.TypeId;
                    continue;
                case BtfKind.Array:
                    localId = local.ElementTypeId;
                    targetId = target.ElementTypeId;
                    continue;
                case BtfKind.FuncProto:
                {
                    if (local.Parameters.Count != target.Parameters.Count) return 0;
                    for (int i = 0; i < local.Parameters.Count; i++)
                    {
                        if (level <= 0) return -1;
                        CoreBtf.SkipModifiersAndTypedefs(localBtf, local.Parameters[i].TypeId, out uint lp);
                        CoreBtf.SkipModifiersAndTypedefs(targetBtf, target.Parameters[i].TypeId, out uint tp);
                        int r = TypesAreCompatible(localBtf, lp, targetBtf, tp, level - 1, ref steps);
                        if (r <= 0) return r;
                    }
                    CoreBtf.SkipModifiersAndTypedefs(localBtf, local.TypeId, out localId);
                    CoreBtf.SkipModifiersAndTypedefs(targetBtf, target.TypeId, out targetId);
                    continue;
                }
                default:
                    return 0;
            }
        }
    }

    /// <summary>
    /// Field-type compatibility, checked when a member is found by name: any two composites; pointers and floats of
    /// either target; enums and forwards whose essential names agree or one is anonymous; integers without bit offset;
    /// arrays by element type.
    /// </summary>
    public static int FieldsAreCompatible(BtfSpec localBtf, uint localId, BtfSpec targetBtf, uint targetId)
    {
        for (int depth = 0; ; depth++)
        {
            // libbpf recurses through nested arrays without a bound; malformed BTF could loop, so cap it.
            if (depth > MaxDepth) return -1;
            BtfType? local = CoreBtf.SkipModifiersAndTypedefs(localBtf, localId, out localId);
            BtfType? target = CoreBtf.SkipModifiersAndTypedefs(targetBtf, targetId, out targetId);
            if (local is null || target is null) return -1;

            if (CoreBtf.IsComposite(local) && CoreBtf.IsComposite(target)) return 1;
            if (!CoreBtf.KindsCompatible(local, target)) return 0;

            switch (local.Kind)
            {
                case BtfKind.Pointer or BtfKind.Float:
                    return 1;
                case BtfKind.Forward or BtfKind.Enum or BtfKind.Enum64:
                {
                    int localLength = CoreNames.EssentialLength(local.Name);
                    int targetLength = CoreNames.EssentialLength(target.Name);
                    return localLength == 0 || targetLength == 0
                        || (localLength == targetLength && string.CompareOrdinal(local.Name, 0, target.Name, 0, localLength) == 0) ? 1 : 0;
                }
                case BtfKind.Int:
                    return local.IntOffset == 0 && target.IntOffset == 0 ? 1 : 0;
                case BtfKind.Array:
                    localId = local.ElementTypeId;
                    targetId = target.ElementTypeId;
                    continue;
                default:
                    return 0;
            }
        }
    }
}
