using BpfSharp.Abi;
using BpfSharp.Programs;

namespace BpfSharp.Links.Sockets;

/// <summary>The argument checks the socket-level attach points share.</summary>
static class ProgramChecks
{
    /// <summary>Throws <see cref="ArgumentException"/> naming the program type and section the attach point needs.</summary>
    public static void Require(BpfProgram program, BpfProgramType type, string attachPoint, string section, string? expectedAttachType = null)
    {
        ArgumentNullException.ThrowIfNull(program);
        if (program.Type != type)
            throw new ArgumentException(
                $"{program} cannot attach {attachPoint}: that needs a {type} program. Load it with Type = {type}" +
                (expectedAttachType is null ? "" : $" and ExpectedAttachType = {expectedAttachType}") + $", or put it in SEC(\"{section}\") in C.",
                nameof(program));
    }
}
