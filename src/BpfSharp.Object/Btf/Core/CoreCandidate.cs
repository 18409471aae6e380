namespace BpfSharp.Btf.Core;

/// <summary>A target type that may correspond to a local type: same essential name, compatible kind.</summary>
/// <param name="TargetIndex">Which target BTF (0 = vmlinux, then modules, in the order given).</param>
/// <param name="Btf">That target BTF.</param>
/// <param name="TypeId">The type's id in it.</param>
public readonly record struct CoreCandidate(int TargetIndex, BtfSpec Btf, uint TypeId)
{
    public override string ToString() => CoreBtf.Describe(Btf, TypeId);
}
