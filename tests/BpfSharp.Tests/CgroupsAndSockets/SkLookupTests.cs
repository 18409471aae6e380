using System.Net;
using System.Net.Sockets;
using BpfSharp.Abi;
using BpfSharp.Interop;
using BpfSharp.Links;
using BpfSharp.Links.Sockets;
using BpfSharp.Objects;
using Xunit;

namespace BpfSharp.Tests.CgroupsAndSockets;

/// <summary>
/// sk_lookup in a fresh network namespace: connections to a port nobody listens on are steered to a listening socket
/// (put in a sockmap from C#) on another port; after the link is closed they are refused again.
/// </summary>
public class SkLookupTests
{
    const int SteeredPort = 7777; // free: nothing else lives in the test namespace

    [Fact]
    public void ConnectionsToAnUnusedPortReachTheChosenListener()
    {
        Kernel.Require();
        using var ns = new TempNetns();
        using BpfObject obj = BpfObject.Load(CFixtures.Bpf("sk_lookup"), o => o.SetGlobal("steer_port", (uint)SteeredPort));
        using BpfFileDescriptor netns = ns.Open();

        ns.Run(() =>
        {
            using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen();
            obj.Map<SocketMap>("target").Set(0u, listener);
            Assert.True(obj.Map<SocketMap>("target").TryGetCookie(0u, out ulong cookie) && cookie != 0);

            using (BpfLink link = SkLookupLink.Attach(obj.Program("steer"), netns))
            {
                LinkInfo info = link.GetInfo();
                Assert.Equal(BpfLinkType.Netns, info.Type);
                Assert.Equal(BpfAttachType.SkLookup, info.AttachType);
                Assert.Equal((uint)NetworkNamespace.Inode(netns), info.NetnsInode);

                using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                client.Connect(new IPEndPoint(IPAddress.Loopback, SteeredPort));
                client.Send("steered"u8);
                using Socket accepted = listener.Accept();
                byte[] buffer = new byte[16];
                accepted.ReceiveTimeout = 5000;
                Assert.Equal("steered", System.Text.Encoding.ASCII.GetString(buffer, 0, accepted.Receive(buffer)));
                Assert.Equal(SteeredPort, ((IPEndPoint)accepted.LocalEndPoint!).Port);
                Assert.Equal(1ul, obj.GetGlobal<ulong>("steered"));
            }

            using var refused = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            var e = Assert.Throws<SocketException>(() => refused.Connect(new IPEndPoint(IPAddress.Loopback, SteeredPort)));
            Assert.Equal(SocketError.ConnectionRefused, e.SocketErrorCode);
            Assert.Equal(1ul, obj.GetGlobal<ulong>("steered"));
        });
    }

    [Fact]
    public void TheLinkAttachesToTheCallingThreadsNamespaceToo()
    {
        Kernel.Require();
        using var ns = new TempNetns();
        using BpfObject obj = BpfObject.Load(CFixtures.Bpf("sk_lookup"), o => o.SetGlobal("steer_port", (uint)SteeredPort));
        using BpfFileDescriptor netns = ns.Open();

        ns.Run(() =>
        {
            using BpfLink link = SkLookupLink.Attach(obj.Program("steer"));
            Assert.Equal((uint)NetworkNamespace.Inode(netns), link.GetInfo().NetnsInode);

            // a connection to another port: the program runs and lets the normal lookup proceed
            using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen();
            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            client.Connect(listener.LocalEndPoint!);
            Assert.True(obj.GetGlobal<ulong>("looked_up") >= 1);
            Assert.Equal(0ul, obj.GetGlobal<ulong>("steered"));
        });

        using BpfObject other = BpfObject.Load(CFixtures.Bpf("flow_dissector"));
        var wrong = Assert.Throws<ArgumentException>(() => SkLookupLink.Attach(other.Program("dissect"), netns));
        Assert.Contains("SEC(\"sk_lookup\")", wrong.Message);
    }
}
