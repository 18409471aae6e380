namespace BpfSharp.Btf.Core;

/// <summary>
/// libbpf's TYPE_MATCHES relation (<c>bpf_core_types_match</c>), stricter than compatibility: after typedefs and
/// qualifiers, names must agree (flavours ignored) and kinds be equal, except that a struct or union behind a pointer
/// may match a forward declaration of the same flavour and an enum may match an enum64. Integers need the same size
/// and signedness; arrays the same length and matching elements; enums the same size with every local enumerator
/// name present in the target; structs and unions every local member present by name with a matching type (behind
/// a pointer only the name and kind); function prototypes the same arity and matching parameter and return types.
/// Results: 1 match, 0 no match, -1 malformed or too deep.
/// </summary>
internal static class CoreTypeMatching
{
    const int MaxLevel = 32;

    // libbpf bounds the depth but not the breadth; a struct that (in malformed BTF) contains itself several times
    // would take exponential time, so the whole comparison gets a step budget that no real type comes near.
    const int MaxSteps = 1_000_000;

    public static int TypesMatch(BtfSpec localBtf, uint localId, BtfSpec targetBtf, uint targetId)
    {
        int steps = 0;
        return Match(localBtf, localId, targetBtf, targetId, behindPointer: false, MaxLevel, ref steps);
    }

    static int Match(BtfSpec localBtf, uint localId, BtfSpec targetBtf, uint targetId, bool behindPointer, int level, ref int steps)
    {
        if (level <= 0 || ++steps > MaxSteps) return -1;

        for (int depth = MaxLevel; ; )
        {
            if (--depth < 0) return -1;
            BtfType? local = CoreBtf.SkipModifiersAndTypedefs(localBtf, localId, out localId);
            BtfType? target = CoreBtf.SkipModifiersAndTypedefs(targetBtf, targetId, out targetId);
            if (local is null || target is null) return -1;

            if (!CoreNames.MatchForTypeMatching(local.Name, target.Name)) return 0;

            switch (local.Kind)
            {
                case BtfKind.Unknown:
                    return target.Kind == BtfKind.Unknown ? 1 : 0;
                case BtfKind.Forward:
                    if (behindPointer && target.Kind != BtfKind.Forward)
                        return (target.Kind == BtfKind.Struct && !local.KindFlag) || (target.Kind == BtfKind.Union && local.KindFlag) ? 1 : 0;
                    return target.Kind == BtfKind.Forward && local.KindFlag == target.KindFlag ? 1 : 0;
                case BtfKind.Enum or BtfKind.Enum64:
                    return CoreBtf.IsAnyEnum(target) && EnumsMatch(local, target) ? 1 : 0;
                case BtfKind.Struct or BtfKind.Union:
                    if (behindPointer)
                    {
                        if (local.Kind == target.Kind) return 1;
                        if (target.Kind != BtfKind.Forward) return 0;
                        return (local.Kind == BtfKind.Union) == target.KindFlag ? 1 : 0;
                    }
                    return local.Kind != target.Kind ? 0 : CompositesMatch(localBtf, local, targetBtf, target, behindPointer, level, ref steps);
                case BtfKind.Int:
                    return target.Kind == BtfKind.Int && local.Size == target.Size
                        && (local.IntEncoding & 1) == (target.IntEncoding & 1) ? 1 : 0;
                case BtfKind.Pointer:
                    if (target.Kind != BtfKind.Pointer) return 0;
                    behindPointer = true;
                    localId = local.TypeId;
                    targetId = target.TypeId;
                    continue;
                case BtfKind.Array:
                    if (target.Kind != BtfKind.Array || local.ElementCount != target.ElementCount) return 0;
                    localId = local.ElementTypeId;
                    targetId = target.ElementTypeId;
                    continue;
                case BtfKind.FuncProto:
                {
                    if (target.Kind != BtfKind.FuncProto || local.Parameters.Count != target.Parameters.Count) return 0;
                    for (int i = 0; i < local.Parameters.Count; i++)
                    {
                        int r = Match(localBtf, local.Parameters[i].TypeId, targetBtf, target.Parameters[i].TypeId, behindPointer, level - 1, ref steps);
                        if (r <= 0) return r;
                    }
                    localId = local.TypeId;
                    targetId = target.TypeId;
                    continue;
                }
                default:
                    return 0;
            }
        }
    }

    static bool EnumsMatch(BtfType local, BtfType target)
    {
        if (local.Size != target.Size || local.EnumValues.Count > target.EnumValues.Count) return false;
        foreach (BtfEnumValue l in local.EnumValues)
        {
            bool found = false;
            foreach (BtfEnumValue t in target.EnumValues)
                if (CoreNames.MatchForTypeMatching(l.Name, t.Name)) { found = true; break; }
            if (!found) return false;
        }
        return true;
    }

    static int CompositesMatch(BtfSpec localBtf, BtfType local, BtfSpec targetBtf, BtfType target, bool behindPointer, int level, ref int steps)
    {
        if (local.Members.Count > target.Members.Count) return 0;
        foreach (BtfMember l in local.Members)
        {
            bool matched = false;
            foreach (BtfMember t in target.Members)
            {
                if (!CoreNames.MatchForTypeMatching(l.Name, t.Name)) continue;
                int r = Match(localBtf, l.TypeId, targetBtf, t.TypeId, behindPointer, level - 1, ref steps);
                if (r < 0) return r;
                if (r > 0) { matched = true; break; }
            }
            if (!matched) return 0;
        }
        return 1;
    }
}
