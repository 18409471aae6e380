namespace BpfSharp.Interop.Tests.Tools;

/// <summary>
/// A temporary directory for this test process (generated headers, compiled objects, the libbpf harness), removed when
/// the process exits. Parallel test processes each get their own.
/// </summary>
public static class RunDirectory
{
    static readonly Lazy<string> path = new(Create);

    public static string Path => path.Value;

    /// <summary>A subdirectory of the run directory, created if needed.</summary>
    public static string Sub(string name) => Directory.CreateDirectory(System.IO.Path.Combine(Path, name)).FullName;

    static string Create()
    {
        string dir = Directory.CreateTempSubdirectory($"bpfsharp-interop-{Environment.ProcessId}-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(dir, recursive: true); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        };
        return dir;
    }
}
