namespace BpfSharp.Interop.Tests.Tools;

/// <summary>
/// A fresh directory on bpffs that no other test or process uses (named by purpose, process id and a Guid), removed with
/// every pin in it on dispose. Give one to each load that may pin.
/// </summary>
public sealed class PinDirectory : IDisposable
{
    /// <summary>The bpffs mount pins are made under.</summary>
    public const string BpffsRoot = "/sys/fs/bpf";

    PinDirectory(string path) => Path = path;

    /// <summary>The directory's full path.</summary>
    public string Path { get; }

    /// <summary>Creates <c>/sys/fs/bpf/bpfsharp_PURPOSE_PID_GUID</c>.</summary>
    public static PinDirectory Create(string purpose) =>
        new(Directory.CreateDirectory(System.IO.Path.Combine(BpffsRoot, $"bpfsharp_{purpose}_{Environment.ProcessId}_{Guid.NewGuid():N}")).FullName);

    /// <summary>Unpins everything below the directory and removes it (unpinning drops the pins' references to the objects).</summary>
    public void Dispose()
    {
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }

    public override string ToString() => Path;
}
