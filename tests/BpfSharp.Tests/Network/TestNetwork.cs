using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using BpfSharp.Links.Network;

namespace BpfSharp.Tests.Network;

/// <summary>
/// Two fresh network namespaces joined by a veth pair: "host" (10.199.0.1 on <see cref="HostInterface"/>) and
/// "peer" (10.199.0.2 on <see cref="PeerInterface"/>). Nothing touches the root namespace, so parallel tests
/// cannot disturb each other, and the traffic is exactly what a test sends: IPv6 is off and both neighbours are
/// static entries (no ARP). Programs are attached from a thread inside the host namespace (<see cref="InHost{T}"/>);
/// sockets made with <see cref="HostUdp"/>/<see cref="PeerUdp"/> live in their namespace wherever they are used.
/// Disposing deletes both namespaces, which removes the veth pair and everything attached to it.
/// </summary>
public sealed class TestNetwork : IDisposable
{
    public static readonly IPAddress HostAddress = IPAddress.Parse("10.199.0.1");
    public static readonly IPAddress PeerAddress = IPAddress.Parse("10.199.0.2");
    const string HostMac = "02:00:0a:c7:00:01", PeerMac = "02:00:0a:c7:00:02";

    readonly List<string> namespaces = [];

    public TestNetwork()
    {
        string id = Kernel.UniqueName("bn");
        HostNamespace = HostInterface = id + "h";
        PeerNamespace = PeerInterface = id + "p";
        if (HostInterface.Length > NetDevice.MaxNameLength) throw new InvalidOperationException($"interface name '{HostInterface}' is too long");
        try
        {
            foreach (string ns in new[] { HostNamespace, PeerNamespace })
            {
                Ip("netns", "add", ns);
                namespaces.Add(ns);
                NetworkNamespace.Run(ns, () =>
                {
                    File.WriteAllText("/proc/sys/net/ipv6/conf/all/disable_ipv6", "1");
                    File.WriteAllText("/proc/sys/net/ipv6/conf/default/disable_ipv6", "1");
                });
            }
            Ip("link", "add", HostInterface, "netns", HostNamespace, "address", HostMac,
                "type", "veth", "peer", "name", PeerInterface, "netns", PeerNamespace, "address", PeerMac);
            Configure(HostNamespace, HostInterface, HostAddress, PeerAddress, PeerMac);
            Configure(PeerNamespace, PeerInterface, PeerAddress, HostAddress, HostMac);
            HostIfIndex = InHost(() => NetDevice.IndexOf(HostInterface));
            PeerIfIndex = InPeer(() => NetDevice.IndexOf(PeerInterface));
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string HostNamespace { get; }
    public string PeerNamespace { get; }
    public string HostInterface { get; }
    public string PeerInterface { get; }
    public int HostIfIndex { get; }
    public int PeerIfIndex { get; }

    /// <summary>Runs <paramref name="action"/> on a thread inside the host namespace (attach, query, detach there).</summary>
    public T InHost<T>(Func<T> action) => NetworkNamespace.Run(HostNamespace, action);

    public void InHost(Action action) => NetworkNamespace.Run(HostNamespace, action);

    public T InPeer<T>(Func<T> action) => NetworkNamespace.Run(PeerNamespace, action);

    /// <summary>A UDP socket bound to the host address (port 0: any free port), created in the host namespace.</summary>
    public Socket HostUdp(int port = 0) => InHost(() => BoundUdp(HostAddress, port));

    /// <summary>A UDP socket bound to the peer address, created in the peer namespace.</summary>
    public Socket PeerUdp(int port = 0) => InPeer(() => BoundUdp(PeerAddress, port));

    /// <summary>A TCP connect from the peer to a closed host port: exactly one SYN on the wire, answered by a RST.</summary>
    public void PeerConnectToClosedHostPort(int port) => InPeer(() =>
    {
        using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var e = Xunit.Assert.Throws<SocketException>(() => tcp.Connect(new IPEndPoint(HostAddress, port)));
        Xunit.Assert.Equal(SocketError.ConnectionRefused, e.SocketErrorCode);
        return 0;
    });

    static Socket BoundUdp(IPAddress address, int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 5000 };
        socket.Bind(new IPEndPoint(address, port));
        return socket;
    }

    static void Configure(string ns, string device, IPAddress address, IPAddress neighbour, string neighbourMac)
    {
        Ip("-n", ns, "addr", "add", $"{address}/24", "dev", device);
        Ip("-n", ns, "neigh", "add", neighbour.ToString(), "lladdr", neighbourMac, "dev", device, "nud", "permanent");
        Ip("-n", ns, "link", "set", device, "up");
    }

    static void Ip(params string[] args)
    {
        var start = new ProcessStartInfo("ip") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in args) start.ArgumentList.Add(a);
        using Process p = Process.Start(start)!;
        string output = p.StandardOutput.ReadToEnd();
        string error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"ip {string.Join(' ', args)} failed ({p.ExitCode}): {error}{output}");
    }

    public void Dispose()
    {
        // Deleting a namespace destroys its end of the veth pair, which takes the other end with it. Both are
        // attempted even if the first fails.
        var failures = new List<Exception>();
        foreach (string ns in namespaces)
        {
            try { Ip("netns", "del", ns); }
            catch (InvalidOperationException e) { failures.Add(e); }
        }
        namespaces.Clear();
        if (failures.Count > 0) throw new AggregateException("removing the test network failed", failures);
    }

    public override string ToString() => $"{HostNamespace}/{HostInterface}#{HostIfIndex} <-> {PeerNamespace}/{PeerInterface}#{PeerIfIndex}";
}
