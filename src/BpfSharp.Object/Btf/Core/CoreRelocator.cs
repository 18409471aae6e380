using System.Globalization;
using BpfSharp.Asm;
using BpfSharp.Objects;

namespace BpfSharp.Btf.Core;

/// <summary>
/// Resolves and applies CO-RE relocations with libbpf's rules (<c>relo_core.c</c>): candidates by essential name in
/// the target BTFs, access specs matched member by member, per-kind values, ambiguity refused, unsatisfiable
/// relocations poisoned. Use one relocator per object load: it caches candidates per local type id.
/// </summary>
/// <example>
/// <code>
/// var relocator = new CoreRelocator(objectBtf, [BtfSpec.LoadKernel()]);
/// var code = program.Instructions.ToList();
/// IReadOnlyList&lt;CoreRelocationOutcome&gt; outcomes = relocator.Apply(code, program.CoreRelocations, program.Name);
/// </code>
/// </example>
public sealed class CoreRelocator
{
    /// <param name="local">The object's BTF (the relocations' type ids and access strings refer to it).</param>
    /// <param name="targets">Target BTFs: vmlinux first, then module BTFs.</param>
    public CoreRelocator(BtfSpec local, IReadOnlyList<BtfSpec> targets) : this(new CoreCandidateCache(local, targets)) { }

    /// <summary>A relocator that shares <paramref name="candidates"/> (e.g. across the programs of one object).</summary>
    public CoreRelocator(CoreCandidateCache candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        Candidates = candidates;
    }

    /// <summary>The candidate cache.</summary>
    public CoreCandidateCache Candidates { get; }

    /// <summary>Resolves one relocation with a fresh cache.</summary>
    /// <exception cref="CoreRelocationException">The relocation is malformed or ambiguous.</exception>
    public static CoreRelocationResult Resolve(BtfSpec local, CoreRelocationRecord relocation, IReadOnlyList<BtfSpec> targets) =>
        new CoreRelocator(local, targets).Resolve(relocation);

    /// <summary>Resolves one relocation (libbpf's <c>bpf_core_calc_relo_insn</c>) without touching any instruction.</summary>
    /// <param name="relocation">The record.</param>
    /// <param name="index">Its index, for messages (libbpf's <c>relo #N</c>).</param>
    /// <param name="programName">The program, for messages.</param>
    /// <exception cref="CoreRelocationException">
    /// The local type is missing or anonymous, the access string does not fit it, a candidate's BTF is malformed, or
    /// matching candidates disagree (on the bit offset, or on the value).
    /// </exception>
    public CoreRelocationResult Resolve(CoreRelocationRecord relocation, int index = 0, string? programName = null)
    {
        try
        {
            return ResolveCore(relocation, index);
        }
        catch (CoreError e)
        {
            throw Failure(relocation, index, programName, e.Message, e);
        }
    }

    /// <summary>
    /// Resolves each relocation and patches the instruction starting at its slot in <paramref name="instructions"/>.
    /// A poisoned <c>ld_imm64</c> turns into two poison calls, so the list can grow by one element per such
    /// relocation (slots never move).
    /// </summary>
    /// <param name="instructions">The program, patched in place.</param>
    /// <param name="relocations">Its CO-RE relocations; <see cref="CoreRelocationRecord.Slot"/> counts slots of <paramref name="instructions"/>.</param>
    /// <param name="programName">The program, for messages.</param>
    /// <returns>One outcome per relocation, in order.</returns>
    /// <exception cref="CoreRelocationException">A relocation is malformed or ambiguous, names no instruction, or its instruction does not hold the expected value.</exception>
    public IReadOnlyList<CoreRelocationOutcome> Apply(List<Instruction> instructions, IReadOnlyList<CoreRelocationRecord> relocations, string? programName = null)
    {
        ArgumentNullException.ThrowIfNull(instructions);
        ArgumentNullException.ThrowIfNull(relocations);
        var outcomes = new CoreRelocationOutcome[relocations.Count];
        int[] indexAtSlot = IndexAtSlot(instructions);
        for (int i = 0; i < relocations.Count; i++)
        {
            CoreRelocationRecord relocation = relocations[i];
            int slot = relocation.Slot;
            int index = (uint)slot < (uint)indexAtSlot.Length ? indexAtSlot[slot] : -1;
            if (index < 0)
                throw Failure(relocation, i, programName, string.Create(CultureInfo.InvariantCulture,
                    $"insn #{slot} is not the start of an instruction of the program ({indexAtSlot.Length} slots)"), null);

            CoreRelocationResult result = Resolve(relocation, i, programName);
            int countBefore = instructions.Count;
            CoreRelocationAction action;
            try
            {
                action = CoreInstructionPatcher.Patch(instructions, index, result.Values);
            }
            catch (CoreError e)
            {
                throw Failure(relocation, i, programName, string.Create(CultureInfo.InvariantCulture, $"insn #{slot}: {e.Message}"), e);
            }
            if (instructions.Count != countBefore)
                indexAtSlot = IndexAtSlot(instructions);
            outcomes[i] = new CoreRelocationOutcome(slot, index, action, result);
        }
        // A poisoned ld_imm64 shifted the instructions after it by one: report indices into the final list.
        for (int i = 0; i < outcomes.Length; i++)
            outcomes[i] = outcomes[i] with { InstructionIndex = indexAtSlot[outcomes[i].Slot] };
        return outcomes;
    }

    CoreRelocationResult ResolveCore(CoreRelocationRecord relocation, int index)
    {
        BtfSpec local = Candidates.Local;
        if (CoreBtf.TypeById(local, relocation.TypeId) is null)
            throw new CoreError("the local type does not exist");
        List<CoreCandidate>? candidates = relocation.Kind == CoreRelocationKind.TypeIdLocal ? null : Candidates.Get(relocation.TypeId);

        CoreAccessSpec localSpec = CoreAccessSpec.Parse(local, relocation.TypeId, relocation.AccessString, relocation.Kind);

        if (candidates is null)
        {
            // The local type id needs no target; the id in the instruction may have changed during static linking.
            var values = new CoreRelocationValues { OriginalValue = localSpec.RootTypeId, NewValue = localSpec.RootTypeId };
            return new CoreRelocationResult(index, relocation, localSpec, null, null, values);
        }

        CoreAccessSpec? chosenSpec = null;
        CoreCandidate? chosen = null;
        CoreRelocationValues chosenValues = default;
        int kept = 0;
        for (int i = 0; i < candidates.Count; i++)
        {
            CoreCandidate candidate = candidates[i];
            int matched;
            CoreAccessSpec candidateSpec;
            try
            {
                matched = CoreSpecMatcher.Match(localSpec, candidate.Btf, candidate.TypeId, out candidateSpec);
            }
            catch (CoreError e)
            {
                throw new CoreError(string.Create(CultureInfo.InvariantCulture, $"error matching candidate #{i} {candidate}: {e.Message}"));
            }
            if (matched == 0) continue;

            CoreRelocationValues values = CoreRelocationCalculator.Calculate(localSpec, candidateSpec);
            if (kept == 0)
            {
                chosenSpec = candidateSpec;
                chosen = candidate;
                chosenValues = values;
            }
            else if (candidateSpec.BitOffset != chosenSpec!.BitOffset)
            {
                throw new CoreError(string.Create(CultureInfo.InvariantCulture,
                    $"field offset ambiguity: {candidateSpec.BitOffset} != {chosenSpec.BitOffset} (bit offsets in {candidateSpec} and {chosenSpec}); the target has several types of this name that disagree, so the relocation cannot choose"));
            }
            else if (values.Poison != chosenValues.Poison || values.NewValue != chosenValues.NewValue)
            {
                throw new CoreError(string.Create(CultureInfo.InvariantCulture,
                    $"relocation decision ambiguity: {Decision(values)} != {Decision(chosenValues)} ({candidateSpec} vs {chosenSpec})"));
            }
            candidates[kept++] = candidate;
        }

        // Prune candidates that did not match, but keep the list whole when none did (existence checks expect misses).
        if (kept > 0)
        {
            candidates.RemoveRange(kept, candidates.Count - kept);
            return new CoreRelocationResult(index, relocation, localSpec, chosenSpec, chosen, chosenValues);
        }
        return new CoreRelocationResult(index, relocation, localSpec, null, null, CoreRelocationCalculator.Calculate(localSpec, null));
    }

    static string Decision(CoreRelocationValues values) =>
        string.Create(CultureInfo.InvariantCulture, $"{(values.Poison ? "failure" : "success")} {values.NewValue}");

    CoreRelocationException Failure(CoreRelocationRecord relocation, int index, string? programName, string why, Exception? inner)
    {
        string prog = programName is null ? "" : $"prog '{programName}': ";
        return new CoreRelocationException(string.Create(CultureInfo.InvariantCulture,
            $"{prog}CO-RE relo #{index} <{relocation.Kind.LibbpfName()}> on {CoreBtf.Describe(Candidates.Local, relocation.TypeId)} with access string \"{relocation.AccessString}\" at insn #{relocation.Slot}: {why}"),
            index, relocation, inner);
    }

    static int[] IndexAtSlot(List<Instruction> instructions)
    {
        int slots = 0;
        foreach (Instruction insn in instructions) slots += insn.Width;
        var map = new int[slots];
        int slot = 0;
        for (int i = 0; i < instructions.Count; i++)
        {
            map[slot++] = i;
            if (instructions[i].IsLoadImm64) map[slot++] = -1;
        }
        return map;
    }
}
