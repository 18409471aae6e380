using System.Diagnostics;
using BpfSharp.Interop;
using BpfSharp.Links;

namespace BpfSharp.Tests.Links;

/// <summary>A fresh child cgroup under the cgroup v2 root, opened as an fd; disposing closes it and removes the directory.</summary>
sealed class TempCgroup : IDisposable
{
    public TempCgroup()
    {
        Path = System.IO.Path.Combine(Cgroup.DefaultRoot, Kernel.UniqueName("bpfsharp_cg"));
        Directory.CreateDirectory(Path);
        try { Fd = Cgroup.Open(Path); }
        catch { Directory.Delete(Path); throw; }
    }

    public string Path { get; }
    public BpfFileDescriptor Fd { get; }

    /// <summary>The cgroup's id as the kernel reports it in link info: the inode number of its directory.</summary>
    public ulong Id => ulong.Parse(Run("stat", "-c", "%i", Path).Output.Trim());

    /// <summary>Runs a bash script inside this cgroup (it moves itself in first) and returns its exit code and output.</summary>
    public (int ExitCode, string Output) RunInside(string script) =>
        Run("bash", "-c", $"echo $$ > '{Path}/cgroup.procs' && {{ {script} ; }} 2>&1");

    static (int ExitCode, string Output) Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in args) start.ArgumentList.Add(a);
        using Process p = Process.Start(start)!;
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output);
    }

    public void Dispose()
    {
        Fd.Dispose();
        // rmdir fails with EBUSY while an exited child is still being torn down: retry briefly.
        for (int attempt = 0; ; attempt++)
        {
            try { Directory.Delete(Path); return; }
            catch (IOException) when (attempt < 50) { Thread.Sleep(20); }
        }
    }
}
