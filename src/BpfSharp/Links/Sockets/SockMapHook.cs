using BpfSharp.Abi;

namespace BpfSharp.Links.Sockets;

/// <summary>The programs a sockmap or sockhash runs for the sockets in it. Attach them before inserting sockets: a socket picks up the map's programs when it is added.</summary>
public enum SockMapHook
{
    /// <summary>sk_msg program run on every sendmsg/sendfile of a socket in the map (<c>sk_msg</c>): pass, drop (EACCES) or redirect.</summary>
    MsgVerdict,
    /// <summary>sk_skb program that splits the receive stream into messages, returning each one's length (<c>sk_skb/stream_parser</c>).</summary>
    StreamParser,
    /// <summary>sk_skb program giving each parsed message (or received skb without a parser) a verdict: pass, drop or redirect (<c>sk_skb/stream_verdict</c>).</summary>
    StreamVerdict,
    /// <summary>sk_skb program giving every received skb a verdict without strparser (<c>sk_skb/verdict</c>, Linux 5.13+); excludes <see cref="StreamVerdict"/>.</summary>
    SkbVerdict,
}

/// <summary>Facts about each <see cref="SockMapHook"/>.</summary>
public static class SockMapHooks
{
    /// <summary>The attach type the kernel knows <paramref name="hook"/> by.</summary>
    public static BpfAttachType AttachType(this SockMapHook hook) => hook switch
    {
        SockMapHook.MsgVerdict => BpfAttachType.SkMsgVerdict,
        SockMapHook.StreamParser => BpfAttachType.SkSkbStreamParser,
        SockMapHook.StreamVerdict => BpfAttachType.SkSkbStreamVerdict,
        SockMapHook.SkbVerdict => BpfAttachType.SkSkbVerdict,
        _ => throw new ArgumentOutOfRangeException(nameof(hook), hook, null),
    };

    /// <summary>The program type that runs at <paramref name="hook"/>.</summary>
    public static BpfProgramType ProgramType(this SockMapHook hook) =>
        hook == SockMapHook.MsgVerdict ? BpfProgramType.SkMsg : BpfProgramType.SkSkb;

    /// <summary>libbpf's section name for programs of <paramref name="hook"/>.</summary>
    public static string SectionName(this SockMapHook hook) => hook switch
    {
        SockMapHook.MsgVerdict => "sk_msg",
        SockMapHook.StreamParser => "sk_skb/stream_parser",
        SockMapHook.StreamVerdict => "sk_skb/stream_verdict",
        _ => "sk_skb/verdict",
    };

    /// <summary>The hook of an attach type (e.g. from a program's section), or null when it is not a sockmap hook.</summary>
    public static SockMapHook? FromAttachType(BpfAttachType attachType) => attachType switch
    {
        BpfAttachType.SkMsgVerdict => SockMapHook.MsgVerdict,
        BpfAttachType.SkSkbStreamParser => SockMapHook.StreamParser,
        BpfAttachType.SkSkbStreamVerdict => SockMapHook.StreamVerdict,
        BpfAttachType.SkSkbVerdict => SockMapHook.SkbVerdict,
        _ => null,
    };

    internal static void Check(Programs.BpfProgram program, Maps.BpfMap map, SockMapHook hook)
    {
        ArgumentNullException.ThrowIfNull(map);
        ProgramChecks.Require(program, hook.ProgramType(), $"to a sockmap at {hook}", hook.SectionName());
        if (map.Type is not (BpfMapType.SockMap or BpfMapType.SockHash))
            throw new ArgumentException($"sk_msg and sk_skb programs attach to a SOCKMAP or SOCKHASH, not to {map}.", nameof(map));
    }

    internal static string? Explain(Errno errno, SockMapHook hook) => errno switch
    {
        Errno.EBUSY => hook is SockMapHook.StreamVerdict or SockMapHook.SkbVerdict
            ? "a map runs either a stream verdict or an skb verdict program, not both; or a link already holds this hook (detach it first)."
            : "a link already holds this hook of the map (detach it first, or update the link's program).",
        Errno.EINVAL => "flags must be 0, and for a link the map must be a SOCKMAP or SOCKHASH; sockmap links need Linux 6.10 or later.",
        _ => null,
    };
}
