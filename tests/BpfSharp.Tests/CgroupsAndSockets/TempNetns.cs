using BpfSharp.Links;
using System.Diagnostics;
using BpfSharp.Interop;
using BpfSharp.Links.Sockets;
using Xunit;

namespace BpfSharp.Tests.CgroupsAndSockets;

/// <summary>
/// A fresh network namespace (<c>ip netns add</c>, loopback up) for tests that must not disturb the machine's own
/// traffic. Code runs inside it on a dedicated thread that joins it with setns(2); sockets created there belong to it.
/// Disposing deletes the namespace.
/// </summary>
sealed class TempNetns : IDisposable
{
    public TempNetns()
    {
        Name = Kernel.UniqueName("bpfsharp_ns");
        Ip("netns", "add", Name);
        try { Ip("-n", Name, "link", "set", "lo", "up"); }
        catch { Ip("netns", "del", Name); throw; }
    }

    public string Name { get; }

    /// <summary>The bind mount that names the namespace.</summary>
    public string Path => $"/run/netns/{Name}";

    /// <summary>An fd of the namespace, for attaching (sk_lookup, flow dissector links) and querying.</summary>
    public BpfFileDescriptor Open() => NetworkNamespace.Open(Path);

    /// <summary>Runs <paramref name="action"/> on a new thread inside the namespace and returns its result (or rethrows its exception).</summary>
    public T Run<T>(Func<T> action) => NetworkNamespace.Run(Path, action);

    public void Run(Action action) => NetworkNamespace.Run(Path, action);

    static void Ip(params string[] args)
    {
        var start = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args) start.ArgumentList.Add(a);
        Process p;
        try { p = Process.Start(start)!; }
        catch (System.ComponentModel.Win32Exception)
        {
            if (Kernel.InCi) Assert.Fail("CI machines have iproute2 (ip); it is missing.");
            Assert.Skip("iproute2 (ip) is not installed");
            throw;
        }
        using (p)
        {
            string error = p.StandardError.ReadToEnd();
            p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0) throw new InvalidOperationException($"ip {string.Join(' ', args)} failed: {error}");
        }
    }

    public void Dispose() => Ip("netns", "del", Name);
}
