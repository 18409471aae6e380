using System.Net;
using System.Net.Sockets;
using BpfSharp.Links;
using BpfSharp.Links.Cgroups;
using BpfSharp.Objects;
using BpfSharp.Tests.Links;
using Xunit;
using static BpfSharp.Tests.CgroupsAndSockets.CgroupProbe;

namespace BpfSharp.Tests.CgroupsAndSockets;

/// <summary>
/// Each cgroup hook attached by link to a fresh cgroup and triggered by a child process in it (the probe); the
/// program's counters and verdicts are observed, then the link is closed and the effect must be gone.
/// </summary>
public class CgroupHookTests
{
    static BpfObject Load(ushort redirectFrom = 0, ushort redirectTo = 0, ushort denyPort = 0) =>
        BpfObject.Load(CFixtures.Bpf("cgroup_hooks"), o => o
            .SetGlobal("redirect_from", redirectFrom)
            .SetGlobal("redirect_to", redirectTo)
            .SetGlobal("deny_port", denyPort));

    static TcpListener Listen()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return listener;
    }

    static int Port(TcpListener listener) => ((IPEndPoint)listener.LocalEndpoint).Port;

    /// <summary>A TCP port on loopback that is bound but not listening, so connecting to it is refused and nobody else takes it.</summary>
    static Socket RefusingPort(out int port)
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        port = ((IPEndPoint)s.LocalEndPoint!).Port;
        return s;
    }

    [Fact]
    public void Connect4CountsThenDeniesAndStopsAfterDetach()
    {
        Kernel.Require();
        using var cg = new TempCgroup();
        using BpfObject obj = Load();
        using TcpListener listener = Listen();
        string port = Port(listener).ToString();

        using (CgroupLink.Attach(obj.Program("count_connect4"), cg.Path, CgroupHook.Connect4))
        {
            ProbeResult ok = Run(cg, "tcp-connect4", port);
            Assert.True(ok.Succeeded, ok.ToString());
            Assert.Equal(1ul, obj.GetGlobal<ulong>("connects"));
        }

        using (BpfLink deny = CgroupLink.Attach(obj.Program("deny_connect4"), cg.Fd, CgroupHook.Connect4))
        {
            ProbeResult denied = Run(cg, "tcp-connect4", port);
            Assert.Equal(EPERM, denied.ExitCode);
            Assert.Contains("fail connect", denied.Output);
            Assert.Equal(2ul, obj.GetGlobal<ulong>("connects"));
            Assert.Equal(BpfSharp.Abi.BpfAttachType.CgroupInet4Connect, deny.GetInfo().AttachType);
        }

        ProbeResult after = Run(cg, "tcp-connect4", port);
        Assert.True(after.Succeeded, after.ToString());
        Assert.Equal(2ul, obj.GetGlobal<ulong>("connects"));
    }

    [Fact]
    public void Connect4RedirectsToAnotherPortAndGetPeerNameHidesIt()
    {
        Kernel.Require();
        using var cg = new TempCgroup();
        using Socket refusing = RefusingPort(out int from);
        using TcpListener listener = Listen();
        int to = Port(listener);
        using BpfObject obj = Load(redirectFrom: (ushort)from, redirectTo: (ushort)to);

        using (CgroupLink.Attach(obj.Program("redirect_connect4"), cg.Path, CgroupHook.Connect4))
        using (CgroupLink.Attach(obj.Program("hide_redirect_getpeername4"), cg.Path, CgroupHook.GetPeerName4))
        {
            ProbeResult redirected = Run(cg, "tcp-connect4", from.ToString());
            Assert.True(redirected.Succeeded, redirected.ToString());
            Assert.Contains($"connected peer {from}", redirected.Output);
            Assert.Equal(1ul, obj.GetGlobal<ulong>("connects"));

            using Socket accepted = listener.AcceptSocket();
            byte[] buffer = new byte[2];
            Assert.Equal(2, accepted.Receive(buffer));
            Assert.Equal("hi"u8.ToArray(), buffer);
        }

        ProbeResult direct = Run(cg, "tcp-connect4", from.ToString());
        Assert.Equal(ECONNREFUSED, direct.ExitCode);
    }

    [Fact]
    public void SockCreateDeniesUdpSocketsAndReleaseCountsThem()
    {
        Kernel.Require();
        using var cg = new TempCgroup();
        using BpfObject obj = Load();

        using (CgroupLink.Attach(obj.Program("count_release"), cg.Path, CgroupHook.SockRelease))
        {
            ProbeResult created = Run(cg, "udp-socket");
            Assert.True(created.Succeeded, created.ToString());
            Assert.Equal(1ul, obj.GetGlobal<ulong>("releases"));
        }

        using (CgroupLink.Attach(obj.Program("deny_udp_create"), cg.Path, CgroupHook.SockCreate))
        {
            ProbeResult denied = Run(cg, "udp-socket");
            Assert.Equal(EPERM, denied.ExitCode);
            Assert.Equal(1ul, obj.GetGlobal<ulong>("creates"));
            ProbeResult tcp = Run(cg, "tcp-bind4", "0");
            Assert.True(tcp.Succeeded, "TCP sockets are not denied: " + tcp);
        }

        Assert.True(Run(cg, "udp-socket").Succeeded);
        Assert.Equal(1ul, obj.GetGlobal<ulong>("creates"));
        Assert.Equal(1ul, obj.GetGlobal<ulong>("releases"));
    }

    [Fact]
    public void Bind4AndPostBind4DenyOnePort()
    {
        Kernel.Require();
        using var cg = new TempCgroup();
        using Socket reserved = RefusingPort(out int taken);
        reserved.Close(); // free again: the child binds it (a race with other binders only makes the bind fail with EADDRINUSE, which the asserts would show)
        using BpfObject obj = Load(denyPort: (ushort)taken);

        using (CgroupLink.Attach(obj.Program("deny_bind4"), cg.Path, CgroupHook.Bind4))
        {
            Assert.Equal(EPERM, Run(cg, "tcp-bind4", taken.ToString()).ExitCode);
            Assert.Equal(1ul, obj.GetGlobal<ulong>("binds"));
            Assert.True(Run(cg, "tcp-bind4", "0").Succeeded);
            Assert.Equal(1ul, obj.GetGlobal<ulong>("binds"));
        }

        using (CgroupLink.Attach(obj.Program("count_post_bind4"), cg.Path, CgroupHook.PostBind4))
        {
            Assert.Equal(EPERM, Run(cg, "tcp-bind4", taken.ToString()).ExitCode);
            Assert.True(Run(cg, "tcp-bind4", "0").Succeeded);
            Assert.Equal(2ul, obj.GetGlobal<ulong>("post_binds"));
        }

        Assert.True(Run(cg, "tcp-bind4", taken.ToString()).Succeeded);
        Assert.Equal(2ul, obj.GetGlobal<ulong>("post_binds"));
    }

    [Fact]
    public void SendMsg4CountsUnconnectedUdpSends()
    {
        Kernel.Require();
        using var cg = new TempCgroup();
        using BpfObject obj = Load();
        using var receiver = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        string port = ((IPEndPoint)receiver.Client.LocalEndPoint!).Port.ToString();

        using (CgroupLink.Attach(obj.Program("count_sendmsg4"), cg.Path, CgroupHook.SendMsg4))
        {
            Assert.True(Run(cg, "udp-send4", port).Succeeded);
            Assert.True(Run(cg, "udp-send4", port).Succeeded);
            Assert.Equal(2ul, obj.GetGlobal<ulong>("sends"));
        }
        Assert.True(Run(cg, "udp-send4", port).Succeeded);
        Assert.Equal(2ul, obj.GetGlobal<ulong>("sends"));
    }

    [Fact]
    public void SockoptHooksSeeTheOptionAndCanDenyIt()
    {
        Kernel.Require();
        using var cg = new TempCgroup();
        using BpfObject obj = Load();
        const int SO_KEEPALIVE = 9;

        using (BpfLink set = CgroupLink.Attach(obj.Program("see_setsockopt"), cg.Path, CgroupHook.SetSockOpt))
        using (CgroupLink.Attach(obj.Program("see_getsockopt"), cg.Path, CgroupHook.GetSockOpt))
        {
            ProbeResult seen = Run(cg, "sockopt");
            Assert.True(seen.Succeeded, seen.ToString());
            Assert.Contains("keepalive 1", seen.Output);
            Assert.Equal(1ul, obj.GetGlobal<ulong>("setsockopts"));
            Assert.Equal(SO_KEEPALIVE, obj.GetGlobal<int>("last_setsockopt_name"));
            Assert.Equal(1ul, obj.GetGlobal<ulong>("getsockopts"));
            Assert.Equal(SO_KEEPALIVE, obj.GetGlobal<int>("last_getsockopt_name"));

            set.Update(obj.Program("deny_setsockopt"));
            ProbeResult denied = Run(cg, "sockopt");
            Assert.Equal(EPERM, denied.ExitCode);
            Assert.Contains("fail setsockopt", denied.Output);
        }
        Assert.True(Run(cg, "sockopt").Succeeded);
        Assert.Equal(1ul, obj.GetGlobal<ulong>("setsockopts"));
    }

    [Fact]
    public void SysctlHookSeesTheNameReadAndCanDenyIt()
    {
        Kernel.Require();
        using var cg = new TempCgroup();
        using BpfObject obj = Load();

        using (BpfLink link = CgroupLink.Attach(obj.Program("see_sysctl"), cg.Path, CgroupHook.Sysctl))
        {
            ProbeResult read = Run(cg, "read", "/proc/sys/kernel/ostype");
            Assert.True(read.Succeeded, read.ToString());
            Assert.Contains("Linux", read.Output);
            Assert.True(obj.GetGlobal<ulong>("sysctl_reads") >= 1);
            Assert.Equal("kernel/ostype", ReadCString(obj, "last_sysctl"));

            link.Update(obj.Program("deny_sysctl"));
            Assert.Equal(EPERM, Run(cg, "read", "/proc/sys/kernel/ostype").ExitCode);
        }
        Assert.True(Run(cg, "read", "/proc/sys/kernel/ostype").Succeeded);
    }

    [Fact]
    public void DeviceHookDeniesOpeningDevNull()
    {
        Kernel.Require();
        using var cg = new TempCgroup();
        using BpfObject obj = Load();

        using (CgroupLink.Attach(obj.Program("deny_dev_null"), cg.Path, CgroupHook.Device))
        {
            ProbeResult denied = Run(cg, "open", "/dev/null");
            Assert.Equal(EPERM, denied.ExitCode);
            Assert.Equal(1ul, obj.GetGlobal<ulong>("device_denials"));
            Assert.True(Run(cg, "open", "/dev/zero").Succeeded, "only 1:3 is denied");
        }
        Assert.True(Run(cg, "open", "/dev/null").Succeeded);
        Assert.Equal(1ul, obj.GetGlobal<ulong>("device_denials"));
    }

    [Fact]
    public void SkbIngressAndEgressCountTheCgroupsPackets()
    {
        Kernel.Require();
        using var cg = new TempCgroup();
        using BpfObject obj = Load();
        using TcpListener listener = Listen();
        string port = Port(listener).ToString();

        using (CgroupLink.Attach(obj.Program("count_ingress"), cg.Path, CgroupHook.Ingress))
        using (CgroupLink.Attach(obj.Program("count_egress"), cg.Path, CgroupHook.Egress))
        {
            Assert.True(Run(cg, "tcp-connect4", port).Succeeded);
            using Socket accepted = listener.AcceptSocket();
            // the child's SYN, ACK and data leave through egress; the SYN-ACK and ACKs come back through ingress
            Assert.True(obj.GetGlobal<ulong>("egress_packets") >= 3, $"egress {obj.GetGlobal<ulong>("egress_packets")}");
            Assert.True(obj.GetGlobal<ulong>("ingress_packets") >= 1, $"ingress {obj.GetGlobal<ulong>("ingress_packets")}");
        }
        ulong egress = obj.GetGlobal<ulong>("egress_packets"), ingress = obj.GetGlobal<ulong>("ingress_packets");
        Assert.True(Run(cg, "tcp-connect4", port).Succeeded);
        Assert.Equal(egress, obj.GetGlobal<ulong>("egress_packets"));
        Assert.Equal(ingress, obj.GetGlobal<ulong>("ingress_packets"));
    }

    static string ReadCString(BpfObject obj, string name)
    {
        byte[] bytes = obj.GetGlobal<Name64>(name).ToArray();
        int end = Array.IndexOf(bytes, (byte)0);
        return System.Text.Encoding.ASCII.GetString(bytes, 0, end < 0 ? bytes.Length : end);
    }

    [System.Runtime.CompilerServices.InlineArray(64)]
    struct Name64
    {
        byte first;
        public byte[] ToArray() => ((ReadOnlySpan<byte>)this).ToArray();
    }
}
