using System.Runtime.ExceptionServices;
using BpfSharp.Interop;
using BpfSharp.Interop.Netlink;

namespace BpfSharp.Links.Network;

/// <summary>
/// Runs code inside another network namespace. Interface names and indexes, netlink requests and new sockets all
/// belong to the namespace of the thread that makes them, so attaching to an interface of a container (or of a test
/// namespace) means making the call from a thread that entered it. Links, filters and sockets made there keep working
/// after the thread is gone and may be used and disposed from any thread.
/// </summary>
public static class NetworkNamespace
{
    /// <summary>Where <c>ip netns add NAME</c> mounts a named namespace: <c>/run/netns/NAME</c>.</summary>
    public static string PathOf(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return name.Contains('/') ? name : $"/run/netns/{name}";
    }

    /// <summary>
    /// Runs <paramref name="action"/> on a new thread that first enters the network namespace at
    /// <paramref name="path"/> (a name from <c>ip netns</c>, a bind mount, or <c>/proc/PID/ns/net</c>) with
    /// setns(2), and returns its result; its exception is rethrown here. Needs CAP_SYS_ADMIN.
    /// </summary>
    public static T Run<T>(string path, Func<T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        string file = PathOf(path);
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        // A dedicated thread: it leaves the process's namespace for good, so it must not be a pool thread, and it ends here.
        var thread = new Thread(() =>
        {
            try
            {
                Enter(file);
                result = action();
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
        }, maxStackSize: 1024 * 1024) { Name = $"netns {file}", IsBackground = true };
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }

    /// <summary>Runs <paramref name="action"/> inside the network namespace at <paramref name="path"/>; see <see cref="Run{T}"/>.</summary>
    public static void Run(string path, Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        Run(path, () => { action(); return 0; });
    }

    static void Enter(string file)
    {
        int fd = LinuxSyscalls.Instance.Open(file, SocketNative.O_RDONLY_CLOEXEC);
        if (fd < 0)
            throw new BpfSyscallException("open", -fd, -fd == 2
                ? "no network namespace there (ip netns list shows the named ones; /proc/PID/ns/net is a process's)."
                : "the namespace file cannot be opened.", $"opening network namespace '{file}'");
        try
        {
            int r = SocketNative.SetNamespace(fd, SocketNative.CLONE_NEWNET);
            if (r < 0)
                throw new BpfSyscallException("setns", -r, -r == 22
                    ? "the file is not a network namespace."
                    : "entering a network namespace needs CAP_SYS_ADMIN: run as root.", $"entering network namespace '{file}'");
        }
        finally
        {
            LinuxSyscalls.Instance.Close(fd);
        }
    }
}
