using System.Net;
using System.Net.Sockets;
using BpfSharp.Abi;
using BpfSharp.Asm;
using BpfSharp.Links;
using BpfSharp.Links.Sockets;
using BpfSharp.Maps;
using BpfSharp.Programs;
using Xunit;
using static BpfSharp.Asm.Register;

namespace BpfSharp.Tests.CgroupsAndSockets;

/// <summary>
/// Netfilter links in a fresh network namespace: a program at IPv4 LOCAL_OUT that counts and drops makes a UDP send
/// over loopback fail with EPERM; once detached the datagram arrives and the count stands still.
/// </summary>
public class NetfilterTests
{
    const int NF_DROP = 0, NF_ACCEPT = 1;

    /// <summary>counts[0] += 1 per packet, then <paramref name="verdict"/>.</summary>
    static BpfProgram Verdict(ArrayMap<ulong> counts, int verdict, string name) => BpfProgram.Load(new ProgramLoadOptions
    {
        Type = BpfProgramType.Netfilter,
        ExpectedAttachType = BpfAttachType.Netfilter,
        Name = name,
        Instructions = new Assembler()
            .StoreImmediate(MemorySize.Word, R10, -4, 0)
            .LoadMapFd(R1, counts.Map.Fd.RawValue)
            .Mov(R2, R10).Add(R2, -4)
            .Call((int)BpfHelperId.MapLookupElem)
            .JumpIf(JumpOp.Equal, R0, 0, "out")
            .Mov(R1, 1)
            .Atomic(AtomicOp.Add, MemorySize.DoubleWord, R0, 0, R1)
            .Label("out")
            .Mov(R0, verdict)
            .Exit()
            .Build(),
    });

    /// <summary>A UDP receiver on loopback and a sender, created on the calling thread (so in its namespace).</summary>
    sealed class UdpPair : IDisposable
    {
        public readonly Socket Receiver = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        public readonly Socket Sender = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);

        public UdpPair()
        {
            Receiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            Receiver.ReceiveTimeout = 5000;
        }

        public void Send(string text) => Sender.SendTo(System.Text.Encoding.ASCII.GetBytes(text), Receiver.LocalEndPoint!);

        public string Receive()
        {
            byte[] buffer = new byte[64];
            return System.Text.Encoding.ASCII.GetString(buffer, 0, Receiver.Receive(buffer));
        }

        public void Dispose()
        {
            Receiver.Dispose();
            Sender.Dispose();
        }
    }

    [Fact]
    public void ADropAtLocalOutFailsTheSendUntilDetached()
    {
        Kernel.Require();
        using var ns = new TempNetns();
        using var counts = ArrayMap<ulong>.Create(1, "nf_drops");
        using BpfProgram drop = Verdict(counts, NF_DROP, "nf_drop");

        ns.Run(() =>
        {
            using var udp = new UdpPair();
            udp.Send("before");
            Assert.Equal("before", udp.Receive());

            using BpfLink link = NetfilterLink.Attach(drop, NetfilterProtocol.IPv4, NetfilterHook.LocalOut, priority: -128);
            Assert.Equal(new NetfilterLinkInfo(NetfilterProtocol.IPv4, NetfilterHook.LocalOut, -128, NetfilterLinkFlags.None), NetfilterLink.GetInfo(link));
            Assert.Equal(BpfLinkType.Netfilter, link.GetInfo().Type);

            var refused = Assert.Throws<SocketException>(() => udp.Send("dropped"));
            Assert.Equal(SocketError.AccessDenied, refused.SocketErrorCode);
            Assert.Equal(1ul, counts[0]);

            link.Detach();
            udp.Send("after");
            Assert.Equal("after", udp.Receive());
            Assert.Equal(1ul, counts[0]);
        });
    }

    [Fact]
    public void AnAcceptAtLocalInWithDefragSeesThePacketAndLetsItThrough()
    {
        Kernel.Require();
        using var ns = new TempNetns();
        using var counts = ArrayMap<ulong>.Create(1, "nf_accepts");
        using BpfProgram accept = Verdict(counts, NF_ACCEPT, "nf_accept");

        ns.Run(() =>
        {
            using var udp = new UdpPair();
            using (BpfLink link = NetfilterLink.Attach(accept, NetfilterProtocol.IPv4, NetfilterHook.LocalIn, priority: 10, NetfilterLinkFlags.IpDefrag))
            {
                udp.Send("seen");
                Assert.Equal("seen", udp.Receive());
                Assert.Equal(1ul, counts[0]);
                Assert.Equal(NetfilterHook.LocalIn, NetfilterLink.GetInfo(link).Hook);

                // netfilter links cannot swap their program
                var update = Assert.Throws<BpfSyscallException>(() => link.Update(accept));
                Assert.Equal(Errno.EOPNOTSUPP, update.Errno);
            }
            udp.Send("unseen");
            Assert.Equal("unseen", udp.Receive());
            Assert.Equal(1ul, counts[0]);
        });
    }

    [Fact]
    public void BadHooksAndPrioritiesAreExplained()
    {
        Kernel.Require();
        using var ns = new TempNetns();
        using var counts = ArrayMap<ulong>.Create(1, "nf_bad");
        using BpfProgram accept = Verdict(counts, NF_ACCEPT, "nf_bad");

        ns.Run(() =>
        {
            var reserved = Assert.Throws<BpfSyscallException>(() => NetfilterLink.Attach(accept, NetfilterProtocol.IPv4, NetfilterHook.LocalIn, int.MinValue));
            Assert.Equal(Errno.ERANGE, reserved.Errno);
            Assert.Contains("reserved", reserved.Message);

            var early = Assert.Throws<BpfSyscallException>(() =>
                NetfilterLink.Attach(accept, NetfilterProtocol.IPv4, NetfilterHook.PreRouting, -500, NetfilterLinkFlags.IpDefrag));
            Assert.Equal(Errno.ERANGE, early.Errno);
            Assert.Contains("greater than -400", early.Message);

            var family = Assert.Throws<BpfSyscallException>(() => NetfilterLink.Attach(accept, (NetfilterProtocol)7, NetfilterHook.LocalIn, 0));
            Assert.Equal(Errno.EAFNOSUPPORT, family.Errno);

            var hook = Assert.Throws<BpfSyscallException>(() => NetfilterLink.Attach(accept, NetfilterProtocol.IPv6, (NetfilterHook)9, 0));
            Assert.Equal(Errno.EPROTO, hook.Errno);
        });

        using BpfProgram wrong = BpfProgram.Load(new ProgramLoadOptions
        {
            Type = BpfProgramType.SocketFilter,
            Instructions = new Assembler().Mov(R0, 0).Exit().Build(),
        });
        var type = Assert.Throws<ArgumentException>(() => NetfilterLink.Attach(wrong, NetfilterProtocol.IPv4, NetfilterHook.LocalIn, 0));
        Assert.Contains("SEC(\"netfilter\")", type.Message);
    }
}
