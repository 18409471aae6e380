using System.Runtime.InteropServices;

namespace BpfSharp.Btf.Core;

/// <summary>
/// The candidate target types of each local type, found once per local type id for one object (libbpf's per-object
/// candidate cache). Search order is libbpf's: the first target (vmlinux); only when it has no candidate, every
/// further target (module BTFs) in order.
/// </summary>
/// <remarks>
/// Lists shrink as relocations prune candidates that turn out not to match (when at least one does), exactly as in
/// libbpf, so later relocations of the same type only consider the survivors.
/// </remarks>
public sealed class CoreCandidateCache
{
    readonly BtfSpec local;
    readonly IReadOnlyList<BtfSpec> targets;
    readonly Dictionary<uint, List<CoreCandidate>> byLocalType = [];

    /// <param name="local">The object's BTF.</param>
    /// <param name="targets">Target BTFs: vmlinux first, then module BTFs (each may be split BTF holding vmlinux's types too).</param>
    public CoreCandidateCache(BtfSpec local, IReadOnlyList<BtfSpec> targets)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(targets);
        this.local = local;
        this.targets = targets;
    }

    /// <summary>The local BTF the cache is for.</summary>
    public BtfSpec Local => local;

    /// <summary>The target BTFs searched.</summary>
    public IReadOnlyList<BtfSpec> Targets => targets;

    /// <summary>The candidates of <paramref name="localTypeId"/> (searched on first use).</summary>
    /// <exception cref="CoreError">The local type does not exist or is anonymous.</exception>
    internal List<CoreCandidate> Get(uint localTypeId)
    {
        ref List<CoreCandidate>? list = ref CollectionsMarshal.GetValueRefOrAddDefault(byLocalType, localTypeId, out bool exists);
        if (!exists)
        {
            try
            {
                list = Search(localTypeId);
            }
            catch
            {
                byLocalType.Remove(localTypeId);
                throw;
            }
        }
        return list!;
    }

    /// <summary>The candidates currently cached for <paramref name="localTypeId"/> (after pruning), or null when none were searched yet.</summary>
    public IReadOnlyList<CoreCandidate>? Peek(uint localTypeId) => byLocalType.GetValueOrDefault(localTypeId);

    List<CoreCandidate> Search(uint localTypeId)
    {
        BtfType localType = CoreBtf.TypeById(local, localTypeId)
            ?? throw new CoreError($"local type [{localTypeId}] does not exist");
        if (localType.Name.Length == 0)
            throw new CoreError($"{CoreBtf.Describe(local, localTypeId)} is anonymous; CO-RE finds target types by name, so relocations need a named type");

        var found = new List<CoreCandidate>();
        for (int t = 0; t < targets.Count && found.Count == 0; t++)
            AddCandidates(localType, t, found);
        return found;
    }

    void AddCandidates(BtfType localType, int targetIndex, List<CoreCandidate> into)
    {
        BtfSpec target = targets[targetIndex];
        // The target's essential-name index (built once per spec, and vmlinux's spec is shared across loads)
        // gives the same candidates in the same id order as a scan of every type, without the scan.
        foreach (BtfType t in target.FindByEssentialName(CoreNames.Essential(localType.Name)))
            if (CoreBtf.KindsCompatible(t, localType))
                into.Add(new CoreCandidate(targetIndex, target, t.Id));
    }
}
