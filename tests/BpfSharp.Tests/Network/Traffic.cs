using System.Net;
using System.Net.Sockets;
using Xunit;

namespace BpfSharp.Tests.Network;

/// <summary>Sends and receives real UDP datagrams over a <see cref="TestNetwork"/>.</summary>
static class Traffic
{
    /// <summary>Sends <paramref name="count"/> datagrams of <paramref name="size"/> bytes (payload byte i = i).</summary>
    public static void Send(Socket from, IPAddress to, int port, int count, int size = 32)
    {
        byte[] payload = new byte[size];
        for (int i = 0; i < size; i++) payload[i] = (byte)i;
        var target = new IPEndPoint(to, port);
        for (int i = 0; i < count; i++) Assert.Equal(size, from.SendTo(payload, target));
    }

    /// <summary>Receives exactly <paramref name="count"/> datagrams (each within the socket's 5 s timeout), returning their sizes.</summary>
    public static List<int> Receive(Socket socket, int count)
    {
        var sizes = new List<int>();
        byte[] buffer = new byte[2048];
        for (int i = 0; i < count; i++)
        {
            try { sizes.Add(socket.Receive(buffer)); }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
            {
                Assert.Fail($"received {i} of {count} datagrams on {socket.LocalEndPoint}");
            }
        }
        return sizes;
    }

    /// <summary>
    /// True when nothing is waiting on the socket. Called after a later datagram on the same path has arrived, so an
    /// earlier one that was not dropped would be here already; the short poll only covers reordering across CPUs.
    /// </summary>
    public static bool NothingQueued(Socket socket) => !socket.Poll(TimeSpan.FromMilliseconds(100), SelectMode.SelectRead);

    public static int Port(Socket socket) => ((IPEndPoint)socket.LocalEndPoint!).Port;
}
