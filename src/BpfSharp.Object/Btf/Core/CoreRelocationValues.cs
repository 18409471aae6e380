using BpfSharp.Objects;

namespace BpfSharp.Btf.Core;

/// <summary>
/// The numbers one CO-RE relocation puts into an instruction, computed for the local spec (what the compiler is
/// expected to have emitted) and for the target spec (what the instruction must hold on this kernel), as libbpf's
/// <c>bpf_core_relo_res</c>.
/// </summary>
public readonly record struct CoreRelocationValues
{
    /// <summary>The value computed from local BTF: what the instruction should hold before relocation.</summary>
    public ulong OriginalValue { get; init; }

    /// <summary>The value for the target: what the instruction holds after relocation.</summary>
    public ulong NewValue { get; init; }

    /// <summary>True when the relocation cannot be satisfied on the target and the instruction is to be poisoned.</summary>
    public bool Poison { get; init; }

    /// <summary>True when the instruction's current value must equal <see cref="OriginalValue"/> (false for bitfields and type ids).</summary>
    public bool Validate { get; init; }

    /// <summary>
    /// True when a load or store's memory size would have to change but cannot safely (the field is neither a pointer
    /// nor an unsigned integer on both sides); such a load or store is poisoned.
    /// </summary>
    public bool FailMemorySizeAdjust { get; init; }

    /// <summary>The memory size in bytes of the accessed field (array element) locally and in the target, for byte offsets; 0 otherwise.</summary>
    public uint OriginalSize { get; init; }

    /// <summary>See <see cref="OriginalSize"/>.</summary>
    public uint NewSize { get; init; }

    /// <summary>The field's type id locally and in the target (byte offsets only).</summary>
    public uint OriginalTypeId { get; init; }

    /// <summary>See <see cref="OriginalTypeId"/>.</summary>
    public uint NewTypeId { get; init; }
}

/// <summary>libbpf's <c>bpf_core_calc_relo</c> and the per-kind calculations under it.</summary>
internal static class CoreRelocationCalculator
{
    /// <summary>Computes the values for <paramref name="local"/> against <paramref name="target"/> (null: no candidate matched).</summary>
    /// <exception cref="CoreError">The relocation cannot be computed (e.g. a shift on an array element, a bitfield no 64-bit load can reach).</exception>
    public static CoreRelocationValues Calculate(CoreAccessSpec local, CoreAccessSpec? target)
    {
        CoreRelocationKind kind = local.Kind;
        if (kind.IsFieldBased())
        {
            FieldValue o = Field(kind, local);
            // Without a target only existence has an answer; anything else asks for the instruction to be poisoned.
            if (target is null && kind != CoreRelocationKind.FieldExists)
                return new CoreRelocationValues
                {
                    OriginalValue = o.Value, Poison = true, Validate = o.Validate, OriginalSize = o.Size, OriginalTypeId = o.TypeId,
                };
            FieldValue n = Field(kind, target);
            bool failAdjust = false;
            if (o.Size != n.Size)
            {
                BtfType? ot = CoreBtf.TypeById(local.Btf, o.TypeId);
                BtfType? nt = CoreBtf.TypeById(target!.Btf, n.TypeId);
                bool bothPointers = ot?.Kind == BtfKind.Pointer && nt?.Kind == BtfKind.Pointer;
                // libbpf compares the whole encoding with "signed" here, so a signed char or bool counts as unsigned.
                bool bothUnsigned = ot?.Kind == BtfKind.Int && nt?.Kind == BtfKind.Int && ot.IntEncoding != 1 && nt.IntEncoding != 1;
                failAdjust = !bothPointers && !bothUnsigned;
            }
            return new CoreRelocationValues
            {
                OriginalValue = o.Value, NewValue = n.Value, Validate = o.Validate, FailMemorySizeAdjust = failAdjust,
                OriginalSize = o.Size, NewSize = n.Size, OriginalTypeId = o.TypeId, NewTypeId = n.TypeId,
            };
        }
        if (kind.IsTypeBased())
        {
            (ulong o, bool validate) = TypeValue(kind, local);
            (ulong n, _) = TypeValue(kind, target);
            return new CoreRelocationValues { OriginalValue = o, NewValue = n, Validate = validate };
        }
        if (kind.IsEnumValueBased())
        {
            ulong o = EnumValue(kind, local);
            return target is null && kind == CoreRelocationKind.EnumValue
                ? new CoreRelocationValues { OriginalValue = o, Poison = true, Validate = true }
                : new CoreRelocationValues { OriginalValue = o, NewValue = EnumValue(kind, target), Validate = true };
        }
        throw new CoreError($"unrecognized CO-RE relocation kind {(uint)kind}");
    }

    readonly record struct FieldValue(ulong Value, uint Size, uint TypeId, bool Validate);

    static FieldValue Field(CoreRelocationKind kind, CoreAccessSpec? spec)
    {
        if (kind == CoreRelocationKind.FieldExists)
            return new FieldValue(spec is null ? 0UL : 1UL, 0, 0, Validate: true);
        if (spec is null)
            throw new CoreError("no target to compute the field from");

        BtfSpec btf = spec.Btf;
        CoreAccessor last = spec.Last;

        if (last.Name is null)
        {
            // The access ends at an array element (or the root itself): only its offset and size make sense.
            switch (kind)
            {
                case CoreRelocationKind.FieldByteOffset:
                    return new FieldValue(spec.BitOffset / 8, ElementSize(btf, last.TypeId), last.TypeId, Validate: true);
                case CoreRelocationKind.FieldByteSize:
                    long size = CoreBtf.ResolveSize(btf, last.TypeId);
                    if (size < 0) throw new CoreError($"{CoreBtf.Describe(btf, last.TypeId)} has no size");
                    return new FieldValue((ulong)size, 0, 0, Validate: true);
                default:
                    throw new CoreError($"a {kind.LibbpfName()} relocation cannot be applied to an array element access");
            }
        }

        BtfType owner = btf.Types[(int)last.TypeId];
        BtfMember member = owner.Members[last.Index];
        BtfType memberType = CoreBtf.SkipModifiersAndTypedefs(btf, member.TypeId, out uint fieldTypeId)
            ?? throw new CoreError($"the type [{member.TypeId}] of member '{member.Name}' does not exist");
        uint bitOffset = spec.BitOffset;
        uint bitSize = owner.KindFlag ? member.BitfieldSize : 0u;
        bool bitfield = bitSize > 0;
        uint byteSize, byteOffset;

        if (bitfield)
        {
            byteSize = memberType.Size;
            if (byteSize == 0)
                throw new CoreError($"bitfield '{member.Name}' has a type of size 0");
            byteOffset = bitOffset / 8 / byteSize * byteSize;
            // Widen the load until it covers the whole bitfield.
            while (unchecked(bitOffset + bitSize - byteOffset * 8) > byteSize * 8)
            {
                if (byteSize >= 8)
                    throw new CoreError($"bitfield '{member.Name}' ({bitSize} bits at bit {bitOffset}) cannot be read with one 64-bit load");
                byteSize *= 2;
                byteOffset = bitOffset / 8 / byteSize * byteSize;
            }
        }
        else
        {
            long size = CoreBtf.ResolveSize(btf, fieldTypeId);
            if (size < 0) throw new CoreError($"the type of member '{member.Name}' has no size");
            byteSize = (uint)size;
            byteOffset = bitOffset / 8;
            bitSize = unchecked(byteSize * 8);
        }

        // Bitfield offsets and sizes are ambiguous (the compiler may pick another load width), so they are not validated.
        bool validate = !bitfield;
        switch (kind)
        {
            case CoreRelocationKind.FieldByteOffset:
                return bitfield
                    ? new FieldValue(byteOffset, 0, 0, validate)
                    : new FieldValue(byteOffset, ElementSize(btf, fieldTypeId), fieldTypeId, validate);
            case CoreRelocationKind.FieldByteSize:
                return new FieldValue(byteSize, 0, 0, validate);
            case CoreRelocationKind.FieldSigned:
                bool signed = (CoreBtf.IsAnyEnum(memberType) && memberType.KindFlag) || CoreBtf.IsSignedInt(memberType);
                return new FieldValue(signed ? 1UL : 0UL, 0, 0, Validate: true);
            case CoreRelocationKind.FieldLShiftU64:
                return new FieldValue(unchecked(64u - (bitOffset + bitSize - byteOffset * 8)), 0, 0, validate);
            case CoreRelocationKind.FieldRShiftU64:
                return new FieldValue(unchecked(64u - bitSize), 0, 0, Validate: true);
            default:
                throw new CoreError($"unrecognized CO-RE relocation kind {(uint)kind}");
        }
    }

    /// <summary>The size of what a load or store moves: for arrays (of arrays) the innermost element.</summary>
    static uint ElementSize(BtfSpec btf, uint typeId)
    {
        BtfType? t = CoreBtf.SkipModifiersAndTypedefs(btf, typeId, out uint elementId);
        for (int depth = 0; t is not null && t.Kind == BtfKind.Array; depth++)
        {
            if (depth > CoreBtf.MaxSpecLength) throw new CoreError($"array {CoreBtf.Describe(btf, typeId)} nests too deep");
            t = CoreBtf.SkipModifiersAndTypedefs(btf, t.ElementTypeId, out elementId);
        }
        long size = CoreBtf.ResolveSize(btf, elementId);
        return size >= 0 ? (uint)size : throw new CoreError($"{CoreBtf.Describe(btf, elementId)} has no size");
    }

    static (ulong Value, bool Validate) TypeValue(CoreRelocationKind kind, CoreAccessSpec? spec)
    {
        if (spec is null) return (0, true);
        switch (kind)
        {
            case CoreRelocationKind.TypeIdTarget:
                // The id in the instruction may have changed during static linking; enforcing it is pointless.
                return (spec.RootTypeId, false);
            case CoreRelocationKind.TypeExists or CoreRelocationKind.TypeMatches:
                return (1, true);
            case CoreRelocationKind.TypeSize:
                long size = CoreBtf.ResolveSize(spec.Btf, spec.RootTypeId);
                return size >= 0 ? ((ulong)size, true) : throw new CoreError($"{CoreBtf.Describe(spec.Btf, spec.RootTypeId)} has no size");
            default:
                throw new CoreError($"unrecognized CO-RE relocation kind {(uint)kind}");
        }
    }

    static ulong EnumValue(CoreRelocationKind kind, CoreAccessSpec? spec)
    {
        if (kind == CoreRelocationKind.EnumValueExists)
            return spec is null ? 0UL : 1UL;
        if (spec is null)
            throw new CoreError("no target to compute the enumerator from");
        CoreAccessor a = spec.accessors[0];
        return CoreBtf.RelocationEnumValue(spec.Btf.Types[(int)a.TypeId], a.Index);
    }
}
