using BpfSharp.Abi;
using BpfSharp.Programs;

namespace BpfSharp.Interop.Tests.Comparison;

/// <summary>
/// One loaded program of an object, in the terms two loaders must agree on.
/// </summary>
/// <param name="Name">The kernel's name for the program (at most 15 characters).</param>
/// <param name="ExpectedAttachType">The expected attach type the loader passed, when the loader reports it (the kernel does not).</param>
/// <param name="SubmittedInstructions">How many instructions the loader passed to BPF_PROG_LOAD (after relocation, subprograms
/// appended), when the loader reports it (libbpf does, through <c>bpf_program__insn_cnt</c>).</param>
/// <param name="XlatedInstructions">How many instructions the kernel holds after verification and rewriting.</param>
/// <param name="Tag">The kernel's tag: a hash of the submitted instructions with map fds zeroed. Equal tags mean the two loaders
/// submitted the same instructions.</param>
/// <param name="HasBtf">The program was loaded with BTF (func_info).</param>
/// <param name="MapCount">How many distinct maps the program uses.</param>
public sealed record ProgramSummary(
    string Name,
    BpfProgramType Type,
    BpfAttachType? ExpectedAttachType,
    int? SubmittedInstructions,
    int XlatedInstructions,
    string Tag,
    bool GplCompatible,
    bool HasBtf,
    int MapCount)
{
    /// <summary>Reads what the kernel reports about <paramref name="program"/>; the loader adds what only it knows.</summary>
    public static ProgramSummary Read(BpfProgram program, int? submittedInstructions = null, BpfAttachType? expectedAttachType = null)
    {
        ProgramInfo info = program.GetInfo();
        return new ProgramSummary(info.Name, info.Type, expectedAttachType, submittedInstructions, (int)(info.XlatedLength / 8),
            info.Tag, info.GplCompatible, info.BtfId != 0, info.MapIds.Count);
    }

    /// <summary>One line: name, type, counts, tag.</summary>
    public override string ToString() =>
        $"{Name} {Type}{(ExpectedAttachType is { } a ? $"/{a}" : "")} insns {(SubmittedInstructions?.ToString() ?? "?")}" +
        $" xlated {XlatedInstructions} tag {Tag}{(GplCompatible ? " gpl" : "")}{(HasBtf ? " btf" : "")} maps {MapCount}";
}
