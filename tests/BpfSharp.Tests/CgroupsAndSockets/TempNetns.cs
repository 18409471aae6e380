using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using BpfSharp.Interop;
using BpfSharp.Links.Sockets;
using Xunit;

namespace BpfSharp.Tests.CgroupsAndSockets;

/// <summary>
/// A fresh network namespace (<c>ip netns add</c>, loopback up) for tests that must not disturb the machine's own
/// traffic. Code runs inside it on a dedicated thread that joins it with setns(2); sockets created there belong to it.
/// Disposing deletes the namespace.
/// </summary>
sealed partial class TempNetns : IDisposable
{
    const int CLONE_NEWNET = 0x40000000;

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
    public T Run<T>(Func<T> action)
    {
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using (BpfFileDescriptor ns = Open())
                    if (SetNs(ns.RawValue, CLONE_NEWNET) != 0)
                        throw new InvalidOperationException($"setns into {Path} failed with errno {Marshal.GetLastPInvokeError()}");
                result = action();
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
        });
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }

    public void Run(Action action) => Run(() => { action(); return 0; });

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static partial int SetNs(int fd, int nstype);

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
