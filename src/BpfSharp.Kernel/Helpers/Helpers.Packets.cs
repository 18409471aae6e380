using System.Runtime.CompilerServices;

namespace BpfSharp.Kernel;

/// <summary>Flags of the checksum and store helpers (<c>BPF_F_*</c>).</summary>
[Flags]
public enum ChecksumFlags : ulong
{
    None = 0,
    /// <summary><c>BPF_F_RECOMPUTE_CSUM</c> (store_bytes): update <c>skb-&gt;csum</c>.</summary>
    RecomputeChecksum = 1,
    /// <summary><c>BPF_F_INVALIDATE_HASH</c> (store_bytes): clear <c>skb-&gt;hash</c>.</summary>
    InvalidateHash = 2,
    /// <summary><c>BPF_F_PSEUDO_HDR</c> (l4_csum_replace): the changed field is part of the pseudo-header.</summary>
    PseudoHeader = 16,
    /// <summary><c>BPF_F_MARK_MANGLED_0</c> (l4_csum_replace): a zero UDP checksum stays zero.</summary>
    MarkMangled0 = 32,
    /// <summary><c>BPF_F_MARK_ENFORCE</c> (l4_csum_replace).</summary>
    MarkEnforce = 64,
}

// Packet access, rewriting and redirection (XDP, tc, socket filters).
public static unsafe partial class Helpers
{
    /// <summary><c>bpf_redirect</c> (23): redirects to interface <paramref name="ifindex"/> (<paramref name="flags"/> 1 = BPF_F_INGRESS for tc); returns XDP_REDIRECT / TC_ACT_REDIRECT or a drop.</summary>
    [BpfHelper(23)]
    public static long Redirect(uint ifindex, ulong flags) => throw new BpfOnlyException("Helpers.Redirect");

    /// <summary><c>bpf_redirect_map</c> (51): redirects to entry <paramref name="key"/> of a devmap, cpumap or xskmap; returns the XDP action.</summary>
    [BpfHelper(51)]
    public static long RedirectMap(BpfMap map, ulong key, ulong flags) => throw new BpfOnlyException("Helpers.RedirectMap");

    /// <summary><c>bpf_clone_redirect</c> (13): sends a clone of the packet to <paramref name="ifindex"/> (tc); 0 or a negative errno.</summary>
    [BpfHelper(13)]
    public static long CloneRedirect(SkBuff* skb, uint ifindex, ulong flags) => throw new BpfOnlyException("Helpers.CloneRedirect");

    /// <summary><c>bpf_xdp_adjust_head</c> (44): moves the packet start by <paramref name="delta"/> bytes (negative grows the packet); 0 or a negative errno. Packet pointers must be re-read after.</summary>
    [BpfHelper(44)]
    public static long XdpAdjustHead(XdpMd* ctx, int delta) => throw new BpfOnlyException("Helpers.XdpAdjustHead");

    /// <summary>As <see cref="XdpAdjustHead(XdpMd*, int)"/> with the context by reference.</summary>
    public static long XdpAdjustHead(ref XdpMd ctx, int delta) => XdpAdjustHead((XdpMd*)Unsafe.AsPointer(ref ctx), delta);

    /// <summary><c>bpf_xdp_adjust_tail</c> (65): moves the packet end by <paramref name="delta"/> bytes; 0 or a negative errno.</summary>
    [BpfHelper(65)]
    public static long XdpAdjustTail(XdpMd* ctx, int delta) => throw new BpfOnlyException("Helpers.XdpAdjustTail");

    /// <summary>As <see cref="XdpAdjustTail(XdpMd*, int)"/> with the context by reference.</summary>
    public static long XdpAdjustTail(ref XdpMd ctx, int delta) => XdpAdjustTail((XdpMd*)Unsafe.AsPointer(ref ctx), delta);

    /// <summary><c>bpf_xdp_adjust_meta</c> (54): moves the metadata start by <paramref name="delta"/> bytes; 0 or a negative errno.</summary>
    [BpfHelper(54)]
    public static long XdpAdjustMeta(XdpMd* ctx, int delta) => throw new BpfOnlyException("Helpers.XdpAdjustMeta");

    /// <summary><c>bpf_xdp_get_buff_len</c> (188): the packet's total length, fragments included.</summary>
    [BpfHelper(188)]
    public static ulong XdpGetBuffLen(XdpMd* ctx) => throw new BpfOnlyException("Helpers.XdpGetBuffLen");

    /// <summary><c>bpf_xdp_load_bytes</c> (189): copies <paramref name="len"/> bytes at <paramref name="offset"/> (fragments too); 0 or a negative errno.</summary>
    [BpfHelper(189)]
    public static long XdpLoadBytes(XdpMd* ctx, uint offset, void* buf, uint len) => throw new BpfOnlyException("Helpers.XdpLoadBytes");

    /// <summary><c>bpf_xdp_store_bytes</c> (190): writes <paramref name="len"/> bytes at <paramref name="offset"/>; 0 or a negative errno.</summary>
    [BpfHelper(190)]
    public static long XdpStoreBytes(XdpMd* ctx, uint offset, void* buf, uint len) => throw new BpfOnlyException("Helpers.XdpStoreBytes");

    /// <summary><c>bpf_skb_load_bytes</c> (26): copies <paramref name="len"/> packet bytes at <paramref name="offset"/> into <paramref name="to"/>; 0 or a negative errno.</summary>
    [BpfHelper(26)]
    public static long SkbLoadBytes(SkBuff* skb, uint offset, void* to, uint len) => throw new BpfOnlyException("Helpers.SkbLoadBytes");

    /// <summary>Copies <c>sizeof(T)</c> packet bytes at <paramref name="offset"/> into <paramref name="to"/>; 0 or a negative errno.</summary>
    public static long SkbLoadBytes<T>(SkBuff* skb, uint offset, ref T to) where T : unmanaged =>
        SkbLoadBytes(skb, offset, Unsafe.AsPointer(ref to), (uint)sizeof(T));

    /// <summary><c>bpf_skb_store_bytes</c> (9): writes <paramref name="len"/> bytes at <paramref name="offset"/>; 0 or a negative errno.</summary>
    [BpfHelper(9)]
    public static long SkbStoreBytes(SkBuff* skb, uint offset, void* from, uint len, ulong flags) => throw new BpfOnlyException("Helpers.SkbStoreBytes");

    /// <summary>Writes <paramref name="from"/> at <paramref name="offset"/>; 0 or a negative errno.</summary>
    public static long SkbStoreBytes<T>(SkBuff* skb, uint offset, in T from, ChecksumFlags flags = ChecksumFlags.None) where T : unmanaged =>
        SkbStoreBytes(skb, offset, Unsafe.AsPointer(ref Unsafe.AsRef(in from)), (uint)sizeof(T), (ulong)flags);

    /// <summary>
    /// <c>bpf_l3_csum_replace</c> (10): fixes the IP checksum at <paramref name="offset"/> after a field of
    /// <paramref name="size"/> (2 or 4) bytes changed from <paramref name="from"/> to <paramref name="to"/>; 0 or a negative errno.
    /// </summary>
    [BpfHelper(10)]
    public static long L3CsumReplace(SkBuff* skb, uint offset, ulong from, ulong to, ulong size) => throw new BpfOnlyException("Helpers.L3CsumReplace");

    /// <summary>
    /// <c>bpf_l4_csum_replace</c> (11): fixes the TCP/UDP checksum at <paramref name="offset"/>; <paramref name="flags"/> holds
    /// the field size (low 4 bits) and <see cref="ChecksumFlags"/>; 0 or a negative errno.
    /// </summary>
    [BpfHelper(11)]
    public static long L4CsumReplace(SkBuff* skb, uint offset, ulong from, ulong to, ulong flags) => throw new BpfOnlyException("Helpers.L4CsumReplace");

    /// <summary>
    /// <c>bpf_csum_diff</c> (28): the checksum difference between <paramref name="from"/> and <paramref name="to"/>
    /// (sizes multiples of 4, either may be null), added to <paramref name="seed"/>; or a negative errno.
    /// </summary>
    [BpfHelper(28)]
    public static long CsumDiff(uint* from, uint fromSize, uint* to, uint toSize, uint seed) => throw new BpfOnlyException("Helpers.CsumDiff");

    /// <summary><c>bpf_skb_pull_data</c> (39): makes the first <paramref name="len"/> bytes directly accessible; 0 or a negative errno.</summary>
    [BpfHelper(39)]
    public static long SkbPullData(SkBuff* skb, uint len) => throw new BpfOnlyException("Helpers.SkbPullData");

    /// <summary><c>bpf_skb_change_tail</c> (38): resizes the packet to <paramref name="newLength"/> bytes; 0 or a negative errno.</summary>
    [BpfHelper(38)]
    public static long SkbChangeTail(SkBuff* skb, uint newLength, ulong flags) => throw new BpfOnlyException("Helpers.SkbChangeTail");

    /// <summary><c>bpf_skb_adjust_room</c> (50): grows or shrinks room at the network (mode 0) or MAC (mode 1) layer; 0 or a negative errno.</summary>
    [BpfHelper(50)]
    public static long SkbAdjustRoom(SkBuff* skb, int lengthDiff, uint mode, ulong flags) => throw new BpfOnlyException("Helpers.SkbAdjustRoom");

    /// <summary><c>bpf_get_hash_recalc</c> (34): the packet's flow hash, computed when unset.</summary>
    [BpfHelper(34)]
    public static uint GetHashRecalc(SkBuff* skb) => throw new BpfOnlyException("Helpers.GetHashRecalc");

    /// <summary><c>bpf_get_socket_cookie</c> (46): the socket's unique cookie (socket filter, tc, cgroup programs).</summary>
    [BpfHelper(46)]
    public static ulong GetSocketCookie(void* ctx) => throw new BpfOnlyException("Helpers.GetSocketCookie");
}
