using BpfSharp.Abi;
using BpfSharp.Objects;

namespace BpfSharp.Compiler.KernelApi;

/// <summary>What a program attribute makes of a method: its ELF section and what that section means to loaders.</summary>
/// <param name="Section">The ELF section name (libbpf's SEC convention), e.g. <c>tracepoint/syscalls/sys_enter_openat</c>.</param>
/// <param name="Convention">The SEC convention the section matches: program type, expected attach type, load flags.</param>
/// <param name="KindName">A short name for messages, e.g. <c>XDP</c>.</param>
/// <param name="Context">The parameter the program takes.</param>
/// <param name="ExceptionReturn">What the program returns where its C# would have thrown.</param>
public sealed record ProgramKind(string Section, SectionConvention Convention, string KindName, ProgramContext Context, int ExceptionReturn)
{
    public BpfProgramType ProgramType => Convention.ProgramType;
    public BpfAttachType? ExpectedAttachType => Convention.ExpectedAttachType;
}
