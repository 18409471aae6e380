using System.Net;
using System.Net.Sockets;
using System.Text;
using BpfSharp.Abi;
using BpfSharp.Links;
using BpfSharp.Links.StructOps;
using BpfSharp.Objects;
using Xunit;

namespace BpfSharp.Tests.CgroupsAndSockets;

/// <summary>
/// A TCP congestion control written in BPF (tcp_congestion_ops struct_ops), registered by link and the legacy way:
/// it appears among the available algorithms, a TCP connection over loopback that selects it runs its init and
/// cong_avoid callbacks (counted in globals), a link update swaps the implementation in place, and after detaching it
/// is gone.
/// </summary>
public class StructOpsTests
{
    const int IPPROTO_TCP = 6, TCP_CONGESTION = 13;
    const string Available = "/proc/sys/net/ipv4/tcp_available_congestion_control";
    static int names;

    /// <summary>A congestion control name no other test (or run) registers, within the kernel's 15 characters.</summary>
    internal static string UniqueName(string prefix) => $"{prefix}{Environment.ProcessId % 100000}x{Interlocked.Increment(ref names)}";

    static BpfObject Load(string name, string legacyName) =>
        BpfObject.Load(CFixtures.Bpf("struct_ops", $"CC_NAME=\"{name}\"", $"CC_LEGACY_NAME=\"{legacyName}\""));

    internal static string[] AvailableAlgorithms() => File.ReadAllText(Available).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Connects over loopback with congestion control <paramref name="algorithm"/> and pushes 4 MiB through; returns the algorithm the socket reports.</summary>
    internal static string TransferWith(string algorithm)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.SetRawSocketOption(IPPROTO_TCP, TCP_CONGESTION, Encoding.ASCII.GetBytes(algorithm));
        client.Connect(listener.LocalEndPoint!);
        using Socket server = listener.Accept();

        const int total = 4 << 20;
        long received = 0;
        var reader = new Thread(() =>
        {
            byte[] buffer = new byte[64 << 10];
            int n;
            while ((n = server.Receive(buffer)) > 0) received += n;
        });
        reader.Start();
        byte[] chunk = new byte[256 << 10];
        for (int sent = 0; sent < total; sent += chunk.Length) client.Send(chunk);
        client.Shutdown(SocketShutdown.Send);
        reader.Join();
        Assert.Equal(total, received);

        byte[] name = new byte[16];
        int length = client.GetRawSocketOption(IPPROTO_TCP, TCP_CONGESTION, name);
        return Encoding.ASCII.GetString(name, 0, length).TrimEnd('\0');
    }

    [Fact]
    public void ALinkedCongestionControlRunsForConnectionsUntilDetached()
    {
        Kernel.Require();
        string name = UniqueName("bsa"), legacy = UniqueName("bsl");
        using BpfObject obj = Load(name, legacy);

        using (BpfLink link = obj.AttachStructOps("cc_a"))
        {
            Assert.Contains(name, AvailableAlgorithms());
            Assert.Equal(BpfLinkType.StructOps, link.GetInfo().Type);
            Assert.Equal(obj.Map("cc_a").GetInfo().Id, StructOpsLink.GetMapId(link));

            Assert.Equal(name, TransferWith(name));
            Assert.True(obj.GetGlobal<ulong>("inits_a") >= 1, "init ran for the connection");
            Assert.True(obj.GetGlobal<ulong>("cong_avoids") >= 1, "cong_avoid ran while the window grew");
            Assert.Equal(0ul, obj.GetGlobal<ulong>("inits_b"));

            // move the link to cc_b (same name): new connections now run cc_b's init
            var wrong = Assert.Throws<BpfSyscallException>(() => StructOpsLink.Update(link, obj.PrepareStructOps("cc_b"), expectedOld: obj.Map("cc_b")));
            Assert.Equal(Errno.EPERM, wrong.Errno);
            StructOpsLink.Update(link, obj.PrepareStructOps("cc_b"), expectedOld: obj.Map("cc_a"));
            Assert.Equal(obj.Map("cc_b").GetInfo().Id, StructOpsLink.GetMapId(link));
            ulong initsA = obj.GetGlobal<ulong>("inits_a");
            Assert.Equal(name, TransferWith(name));
            Assert.True(obj.GetGlobal<ulong>("inits_b") >= 1);
            Assert.Equal(initsA, obj.GetGlobal<ulong>("inits_a"));

            link.Detach();
            Assert.DoesNotContain(name, AvailableAlgorithms());
            Assert.Equal(0u, StructOpsLink.GetMapId(link));
        }

        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var gone = Assert.Throws<SocketException>(() => socket.SetRawSocketOption(IPPROTO_TCP, TCP_CONGESTION, Encoding.ASCII.GetBytes(name)));
        Assert.Equal(SocketError.AddressNotAvailable, gone.SocketErrorCode); // ENOENT: no such algorithm (.NET's name for it)
    }

    [Fact]
    public void ClosingTheLinkUnregisters()
    {
        Kernel.Require();
        string name = UniqueName("bsc"), legacy = UniqueName("bsl");
        using BpfObject obj = Load(name, legacy);

        using (obj.AttachStructOps("cc_a"))
            Assert.Contains(name, AvailableAlgorithms());
        Assert.DoesNotContain(name, AvailableAlgorithms());
    }

    [Fact]
    public void ALegacyStructOpsMapRegistersByItsValue()
    {
        Kernel.Require();
        string name = UniqueName("bsn"), legacy = UniqueName("bsl");
        StructOpsRegistration registration;
        using (BpfObject obj = Load(name, legacy))
        {
            var notLinkable = Assert.Throws<ArgumentException>(() => obj.AttachStructOps("cc_legacy"));
            Assert.Contains("RegisterStructOps", notLinkable.Message);
            var notLegacy = Assert.Throws<ArgumentException>(() => obj.RegisterStructOps("cc_a"));
            Assert.Contains("AttachStructOps", notLegacy.Message);
            Assert.Throws<ArgumentException>(() => StructOpsLink.FromMap(obj.Map("cc_legacy")));

            registration = obj.RegisterStructOps("cc_legacy");
            Assert.Contains(legacy, AvailableAlgorithms());
            Assert.Equal(legacy, TransferWith(legacy));
            Assert.True(obj.GetGlobal<ulong>("inits_legacy") >= 1);
        }

        // the registration outlives the object that made it, until disposed
        Assert.Contains(legacy, AvailableAlgorithms());
        registration.Dispose();
        Assert.DoesNotContain(legacy, AvailableAlgorithms());
    }

    [Fact]
    public void ATakenNameIsExplained()
    {
        Kernel.Require();
        string name = UniqueName("bst");
        using BpfObject first = Load(name, UniqueName("bsl"));
        using BpfObject second = Load(name, UniqueName("bsl"));

        using BpfLink link = first.AttachStructOps("cc_a");
        var taken = Assert.Throws<BpfSyscallException>(() => second.AttachStructOps("cc_a"));
        Assert.Equal(Errno.EEXIST, taken.Errno);
        Assert.Contains("unique", taken.Message);
    }
}
