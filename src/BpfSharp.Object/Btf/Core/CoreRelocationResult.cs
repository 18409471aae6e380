using System.Globalization;
using BpfSharp.Objects;

namespace BpfSharp.Btf.Core;

/// <summary>
/// How one CO-RE relocation resolves against the target BTFs: the local spec, the target spec that matched (null
/// when none did), and the values for the instruction.
/// </summary>
public sealed class CoreRelocationResult
{
    internal CoreRelocationResult(int index, CoreRelocationRecord relocation, CoreAccessSpec local, CoreAccessSpec? target,
        CoreCandidate? candidate, CoreRelocationValues values)
    {
        Index = index;
        Relocation = relocation;
        LocalSpec = local;
        TargetSpec = target;
        Candidate = candidate;
        Values = values;
    }

    /// <summary>The relocation's index (libbpf's <c>relo #N</c>).</summary>
    public int Index { get; }

    /// <summary>The relocation record resolved.</summary>
    public CoreRelocationRecord Relocation { get; }

    /// <summary>The access resolved in the object's BTF.</summary>
    public CoreAccessSpec LocalSpec { get; }

    /// <summary>The access resolved in the first matching candidate, or null when no candidate matched (or none was needed: local type id).</summary>
    public CoreAccessSpec? TargetSpec { get; }

    /// <summary>The first matching candidate, or null.</summary>
    public CoreCandidate? Candidate { get; }

    /// <summary>The values for the instruction (local and target), and whether it is to be poisoned.</summary>
    public CoreRelocationValues Values { get; }

    /// <summary>True when the instruction is to be poisoned: the field or enumerator does not exist in the target.</summary>
    public bool Poison => Values.Poison;

    /// <summary>
    /// libbpf-style text: <c>relo #3: &lt;byte_off&gt; [5] struct task_struct___mine.pid (0:1 @ offset 4) =&gt; [114] struct
    /// task_struct.pid (0:93 @ offset 1268): 4 -&gt; 1268</c>, or <c>… =&gt; no matching target: poisoned</c>.
    /// </summary>
    public override string ToString()
    {
        string head = string.Create(CultureInfo.InvariantCulture, $"relo #{Index}: {LocalSpec}");
        if (Relocation.Kind == CoreRelocationKind.TypeIdLocal)
            return string.Create(CultureInfo.InvariantCulture, $"{head}: {Values.NewValue}");
        string target = TargetSpec is null ? "no matching target" : TargetSpec.Format(withKind: false);
        return Values.Poison
            ? $"{head} => {target}: poisoned"
            : string.Create(CultureInfo.InvariantCulture, $"{head} => {target}: {Values.OriginalValue} -> {Values.NewValue}");
    }
}
