using System.Net;
using System.Net.Sockets;
using System.Text;
using BpfSharp.Abi;
using BpfSharp.Links;
using BpfSharp.Links.Sockets;
using BpfSharp.Objects;
using Xunit;

namespace BpfSharp.Tests.CgroupsAndSockets;

/// <summary>
/// sk_skb and sk_msg programs on a sockmap, with two TCP connections over loopback: what one server socket receives
/// is redirected out of the other connection, or dropped; sendmsg is counted or refused. Every effect ends when the
/// socket leaves the map (a socket keeps the programs it was inserted with, so detaching alone does not change it).
/// </summary>
public class SockMapTests
{
    static BpfObject Load() => BpfObject.Load(CFixtures.Bpf("sockmap"));

    /// <summary>A connected TCP pair over loopback: <see cref="Client"/> and the accepted <see cref="Server"/>.</summary>
    sealed class Connection : IDisposable
    {
        public Connection()
        {
            using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen();
            Client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            Client.Connect(listener.LocalEndPoint!);
            Server = listener.Accept();
            Client.ReceiveTimeout = Server.ReceiveTimeout = 5000;
        }

        public Socket Client { get; }
        public Socket Server { get; }

        public void Dispose()
        {
            Client.Dispose();
            Server.Dispose();
        }
    }

    static void Send(Socket s, string text) => s.Send(Encoding.ASCII.GetBytes(text));

    static string Receive(Socket s, int length)
    {
        byte[] buffer = new byte[length];
        int got = 0;
        while (got < length)
        {
            int n = s.Receive(buffer, got, length - got, SocketFlags.None);
            if (n == 0) break;
            got += n;
        }
        return Encoding.ASCII.GetString(buffer, 0, got);
    }

    /// <summary>Waits (bounded) until the BPF counter <paramref name="name"/> reaches <paramref name="atLeast"/>: verdicts run in softirq/workqueue context.</summary>
    static void WaitFor(BpfObject obj, string name, ulong atLeast)
    {
        for (int i = 0; i < 500 && obj.GetGlobal<ulong>(name) < atLeast; i++) Thread.Sleep(10);
        Assert.True(obj.GetGlobal<ulong>(name) >= atLeast, $"{name} = {obj.GetGlobal<ulong>(name)}, expected at least {atLeast}");
    }

    [Theory]
    [InlineData("redirect_to_1", SockMapHook.StreamVerdict, true)]
    [InlineData("redirect_to_1", SockMapHook.StreamVerdict, false)]
    [InlineData("redirect_skb_to_1", SockMapHook.SkbVerdict, false)]
    public void AVerdictRedirectsWhatOneSocketReceivesOutOfAnother(string program, SockMapHook hook, bool withParser)
    {
        Kernel.Require();
        using BpfObject obj = Load();
        SocketMap sockets = obj.Map<SocketMap>("sock_map");
        using var first = new Connection();
        using var second = new Connection();

        using BpfLink? parser = withParser ? SockMapLink.Attach(obj.Program("parse_whole"), sockets.Map, SockMapHook.StreamParser) : null;
        using (BpfLink verdict = SockMapLink.Attach(obj.Program(program), sockets.Map, hook))
        {
            Assert.Equal((sockets.Map.GetInfo().Id, hook), SockMapLink.GetTarget(verdict));
            Assert.Equal([obj.Program(program).GetInfo().Id], SockMapProgram.Query(sockets.Map, hook).ProgramIds);
            sockets.Set(0u, first.Server);
            sockets.Set(1u, second.Server);

            Send(first.Client, "ping");
            Assert.Equal("ping", Receive(second.Client, 4));
            Assert.Equal(0, first.Server.Available);
            Assert.True(obj.GetGlobal<ulong>("verdicts") >= 1);
            if (withParser) Assert.True(obj.GetGlobal<ulong>("parsed") >= 1);
        }

        // the sockets keep the programs they were inserted with: take the receiving one out of the map
        Assert.True(sockets.Remove(0u));
        Send(first.Client, "pong");
        Assert.Equal("pong", Receive(first.Server, 4));
        Assert.Empty(SockMapProgram.Query(sockets.Map, hook).ProgramIds);
    }

    [Fact]
    public void ALegacyDropVerdictSwallowsTheData()
    {
        Kernel.Require();
        using BpfObject obj = Load();
        SocketMap sockets = obj.Map<SocketMap>("sock_map");
        using var connection = new Connection();

        using (SockMapAttachment drop = SockMapProgram.Attach(obj.Program("drop_stream"), sockets.Map, SockMapHook.StreamVerdict))
        {
            Assert.Equal([drop.ProgramId], SockMapProgram.Query(sockets.Map, SockMapHook.StreamVerdict).ProgramIds);
            sockets.Set(0u, connection.Server);
            Send(connection.Client, "lost");
            WaitFor(obj, "verdicts", 1);
            Assert.Equal(0, connection.Server.Available);

            // stream and skb verdicts exclude each other
            var busy = Assert.Throws<BpfSyscallException>(() => SockMapLink.Attach(obj.Program("redirect_skb_to_1"), sockets.Map, SockMapHook.SkbVerdict));
            Assert.Equal(Errno.EBUSY, busy.Errno);
            Assert.Contains("not both", busy.Message);
        }
        Assert.Empty(SockMapProgram.Query(sockets.Map, SockMapHook.StreamVerdict).ProgramIds);
        sockets.Remove(0u);
        Send(connection.Client, "kept");
        Assert.Equal("kept", Receive(connection.Server, 4));
    }

    [Fact]
    public void AMessageVerdictCountsSendsAndCanRefuseThem()
    {
        Kernel.Require();
        using BpfObject obj = Load();
        SocketMap sockets = obj.Map<SocketMap>("sock_map");
        using var connection = new Connection();

        using (BpfLink link = SockMapLink.Attach(obj.Program("count_msg"), sockets.Map, SockMapHook.MsgVerdict))
        {
            sockets.Set(0u, connection.Client);
            Send(connection.Client, "abc");
            Send(connection.Client, "defg");
            Assert.Equal("abcdefg", Receive(connection.Server, 7));
            Assert.Equal(2ul, obj.GetGlobal<ulong>("msgs"));
            Assert.Equal(7ul, obj.GetGlobal<ulong>("msg_bytes"));

            // a legacy attach cannot take a hook a link holds
            var busy = Assert.Throws<BpfSyscallException>(() => SockMapProgram.Attach(obj.Program("drop_msg"), sockets.Map, SockMapHook.MsgVerdict));
            Assert.Equal(Errno.EBUSY, busy.Errno);

            // swapping the link's program reaches sockets inserted afterwards
            link.Update(obj.Program("drop_msg"));
            sockets.Remove(0u);
            sockets.Set(0u, connection.Client);
            var refused = Assert.Throws<SocketException>(() => Send(connection.Client, "no"));
            Assert.Equal(SocketError.AccessDenied, refused.SocketErrorCode);
            Assert.Equal(3ul, obj.GetGlobal<ulong>("msgs"));
            link.Detach();
            Assert.Equal(0u, SockMapLink.GetTarget(link).MapId);
        }
        sockets.Remove(0u);
        Send(connection.Client, "yes");
        Assert.Equal("yes", Receive(connection.Server, 3));
        Assert.Equal(3ul, obj.GetGlobal<ulong>("msgs"));
    }

    [Fact]
    public void SocketsGoInByFdAndComeBackAsCookies()
    {
        Kernel.Require();
        using SocketMap sockets = SocketMap.CreateHash(keySize: 8, maxEntries: 4, "sock_hash");
        using var connection = new Connection();
        using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));

        sockets.Set(1UL, connection.Server);
        sockets.Set(2UL, udp);
        Assert.True(sockets.TryGetCookie(1UL, out ulong tcpCookie));
        Assert.True(sockets.TryGetCookie(2UL, out ulong udpCookie));
        Assert.NotEqual(tcpCookie, udpCookie);
        Assert.False(sockets.TryGetCookie(3UL, out _));

        // an unconnected, unbound TCP socket is not something a sockmap takes
        using var fresh = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var e = Assert.Throws<BpfSyscallException>(() => sockets.Set(3UL, fresh));
        Assert.Equal(Errno.EOPNOTSUPP, e.Errno);
        Assert.Contains("established or listening", e.Message);

        Assert.True(sockets.Remove(1UL));
        Assert.False(sockets.Remove(1UL));

        using SocketMap array = SocketMap.CreateArray(1);
        using BpfSharp.Programs.BpfProgram filter = BpfSharp.Programs.BpfProgram.Load(new BpfSharp.Programs.ProgramLoadOptions
        {
            Type = BpfProgramType.SocketFilter,
            Instructions = new BpfSharp.Asm.Assembler().Mov(BpfSharp.Asm.Register.R0, 0).Exit().Build(),
        });
        var wrong = Assert.Throws<ArgumentException>(() => SockMapLink.Attach(filter, array.Map, SockMapHook.MsgVerdict));
        Assert.Contains("SEC(\"sk_msg\")", wrong.Message);
    }
}
