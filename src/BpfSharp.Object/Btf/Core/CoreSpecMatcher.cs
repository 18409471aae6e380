using BpfSharp.Objects;

namespace BpfSharp.Btf.Core;

/// <summary>
/// Matches a local access spec against one candidate type in a target BTF (libbpf's <c>bpf_core_spec_match</c>),
/// producing the target spec: named members are found by name (searching anonymous members depth-first) and must
/// have compatible types; array indices must be in the target's bounds.
/// </summary>
internal static class CoreSpecMatcher
{
    /// <summary>1 when the candidate matches, 0 when not; <paramref name="target"/> holds what was matched so far either way.</summary>
    /// <exception cref="CoreError">The target BTF is malformed or nesting is deeper than 64 levels.</exception>
    public static int Match(CoreAccessSpec local, BtfSpec targetBtf, uint targetId, out CoreAccessSpec target)
    {
        target = new CoreAccessSpec(targetBtf, targetId, local.Kind);

        if (local.Kind.IsTypeBased())
        {
            int r = local.Kind == CoreRelocationKind.TypeMatches
                ? CoreTypeMatching.TypesMatch(local.Btf, local.RootTypeId, targetBtf, targetId)
                : CoreCompatibility.TypesAreCompatible(local.Btf, local.RootTypeId, targetBtf, targetId);
            return r >= 0 ? r : throw new CoreError($"comparing with candidate {CoreBtf.Describe(targetBtf, targetId)}: malformed or too deeply nested types");
        }

        if (local.Kind.IsEnumValueBased())
            return MatchEnumerator(local, target, targetId);

        for (int i = 0; i < local.accessors.Count; i++)
        {
            CoreAccessor localAccessor = local.accessors[i];
            BtfType targetType = CoreBtf.SkipModifiersAndTypedefs(targetBtf, targetId, out targetId)
                ?? throw new CoreError($"target type [{targetId}] does not exist or its typedef chain is broken");

            if (localAccessor.Name is not null)
            {
                int matched = MatchMember(local.Btf, localAccessor, targetBtf, targetId, target, out targetId);
                if (matched <= 0) return matched;
                continue;
            }

            // The root accessor indexes the candidate itself (pointer arithmetic); later ones need an array.
            if (i > 0)
            {
                if (targetType.Kind != BtfKind.Array) return 0;
                bool flexible = CoreAccessSpec.IsFlexibleArray(targetBtf, target.accessors[^1], targetType);
                if (!flexible && localAccessor.Index >= targetType.ElementCount) return 0;
                if (CoreBtf.SkipModifiersAndTypedefs(targetBtf, targetType.ElementTypeId, out targetId) is null)
                    throw new CoreError($"the element type [{targetType.ElementTypeId}] of target array {CoreBtf.Describe(targetBtf, targetType.Id)} does not exist");
            }

            if (target.raw.Count == CoreBtf.MaxSpecLength)
                throw new CoreError($"the target access is nested more than {CoreBtf.MaxSpecLength} levels deep");
            target.accessors.Add(new CoreAccessor(targetId, localAccessor.Index, null));
            target.raw.Add(localAccessor.Index);
            long size = CoreBtf.ResolveSize(targetBtf, targetId);
            if (size < 0)
                throw new CoreError($"target {CoreBtf.Describe(targetBtf, targetId)} has no size");
            target.BitOffset = unchecked(target.BitOffset + (uint)(localAccessor.Index * size * 8));
        }
        return 1;
    }

    static int MatchEnumerator(CoreAccessSpec local, CoreAccessSpec target, uint targetId)
    {
        BtfType? e = CoreBtf.SkipModifiersAndTypedefs(target.Btf, targetId, out targetId);
        if (e is null || !CoreBtf.IsAnyEnum(e)) return 0;
        string name = local.accessors[0].Name!;
        for (int i = 0; i < e.EnumValues.Count; i++)
        {
            if (!CoreNames.EssentialEquals(name, e.EnumValues[i].Name)) continue;
            target.accessors.Add(new CoreAccessor(targetId, i, e.EnumValues[i].Name));
            target.raw.Add(i);
            return 1;
        }
        return 0;
    }

    /// <summary>
    /// Finds the member the local named accessor names in target composite <paramref name="targetId"/>, descending
    /// into anonymous members; on success appends the raw steps and the accessor and returns the member's type.
    /// </summary>
    static int MatchMember(BtfSpec localBtf, CoreAccessor localAccessor, BtfSpec targetBtf, uint targetId, CoreAccessSpec spec, out uint nextTargetId)
    {
        nextTargetId = 0;
        BtfType targetType = CoreBtf.SkipModifiersAndTypedefs(targetBtf, targetId, out targetId)
            ?? throw new CoreError($"target type [{targetId}] does not exist or its typedef chain is broken");
        if (!CoreBtf.IsComposite(targetType)) return 0;

        BtfMember localMember = localBtf.Types[(int)localAccessor.TypeId].Members[localAccessor.Index];
        IReadOnlyList<BtfMember> members = targetType.Members;
        for (int i = 0; i < members.Count; i++)
        {
            BtfMember m = members[i];
            if (spec.raw.Count == CoreBtf.MaxSpecLength)
                throw new CoreError($"the target access is nested more than {CoreBtf.MaxSpecLength} levels deep");

            spec.BitOffset = unchecked(spec.BitOffset + m.BitOffset);
            spec.raw.Add(i);

            if (m.Name.Length == 0)
            {
                int found = MatchMember(localBtf, localAccessor, targetBtf, m.TypeId, spec, out nextTargetId);
                if (found != 0) return found;
            }
            else if (string.Equals(localMember.Name, m.Name, StringComparison.Ordinal))
            {
                spec.accessors.Add(new CoreAccessor(targetId, i, m.Name));
                nextTargetId = m.TypeId;
                int compatible = CoreCompatibility.FieldsAreCompatible(localBtf, localMember.TypeId, targetBtf, m.TypeId);
                if (compatible < 0)
                    throw new CoreError($"comparing member '{m.Name}' with {CoreBtf.Describe(targetBtf, targetId)}: malformed or too deeply nested types");
                if (compatible == 0) spec.accessors.RemoveAt(spec.accessors.Count - 1);
                return compatible;
            }

            spec.BitOffset = unchecked(spec.BitOffset - m.BitOffset);
            spec.raw.RemoveAt(spec.raw.Count - 1);
        }
        return 0;
    }
}
