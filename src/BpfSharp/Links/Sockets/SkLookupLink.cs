using BpfSharp.Abi;
using BpfSharp.Interop;
using BpfSharp.Programs;

namespace BpfSharp.Links.Sockets;

/// <summary>
/// sk_lookup programs (Linux 5.9+): run when the kernel looks for the socket that should receive a new TCP connection
/// or UDP datagram in a network namespace, and may pick one (<c>bpf_sk_assign</c>, usually from a sockmap) — e.g. to
/// serve many addresses or ports from one socket. Attached by link to a namespace fd; several links run in order.
/// </summary>
/// <example><code>
/// using var netns = NetworkNamespace.Open();
/// using BpfLink link = SkLookupLink.Attach(obj.Program("steer"), netns);
/// </code></example>
public static class SkLookupLink
{
    /// <summary>Attaches to the network namespace <paramref name="netns"/> (from <see cref="NetworkNamespace.Open"/>).</summary>
    public static BpfLink Attach(BpfProgram program, BpfFileDescriptor netns)
    {
        ProgramChecks.Require(program, BpfProgramType.SkLookup, "to a network namespace's socket lookup", "sk_lookup", nameof(BpfAttachType.SkLookup));
        return BpfLink.Create(program, netns, BpfAttachType.SkLookup);
    }

    /// <summary>Attaches to the calling thread's network namespace.</summary>
    public static BpfLink Attach(BpfProgram program)
    {
        ArgumentNullException.ThrowIfNull(program);
        using BpfFileDescriptor netns = NetworkNamespace.Open(NetworkNamespace.CurrentThread, program.Fd.Syscalls);
        return Attach(program, netns);
    }
}
