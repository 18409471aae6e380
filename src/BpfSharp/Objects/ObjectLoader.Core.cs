using BpfSharp.Asm;
using BpfSharp.Btf.Core;

namespace BpfSharp.Objects;

/// <summary>CO-RE: each program's relocations resolved against the kernel's BTF, candidates shared across the object's programs.</summary>
sealed partial class ObjectLoader
{
    CoreCandidateCache? coreCandidates;

    IReadOnlyList<CoreRelocationOutcome> ApplyCoreRelocations(ProgramDefinition program, List<Instruction> instructions)
    {
        if (program.CoreRelocations.Count == 0) return [];
        if (spec.Btf is null)
            throw new BpfObjectException(ObjectName, $"program '{program.Name}'", "has CO-RE relocations but the object has no BTF they could refer to.");
        coreCandidates ??= new CoreCandidateCache(spec.Btf, [KernelBtf($"program '{program.Name}' (CO-RE)")]);
        return new CoreRelocator(coreCandidates).Apply(instructions, program.CoreRelocations, program.Name);
    }

    /// <summary>A rejection at a poisoned instruction is really a relocation that found nothing: say which.</summary>
    static BpfVerifierException ExplainPoison(BpfVerifierException e, IReadOnlyList<CoreRelocationOutcome> outcomes)
    {
        if (outcomes.Count == 0 || CorePoison.FindFailedRelocation(e.Log, outcomes) is not { } failed) return e;
        string decisive = $"{failed.FailureMessage}: the kernel's BTF has no match for it, and the instruction is reachable " +
            "(guard it with bpf_core_field_exists()/bpf_core_type_exists(), or fix the type)\n" + e.DecisiveLines;
        return new BpfVerifierException((int)e.Errno, e.ProgramName, e.Log, decisive, e.SourceLocation);
    }
}
