using System.Runtime.CompilerServices;
using BpfSharp.Interop.Tests.Tools;
using BpfSharp.Kernel;
using Xunit;

namespace BpfSharp.Interop.Tests.Cli;

public struct CliPacketCount
{
    public ulong Packets;
    public ulong Bytes;
}

/// <summary>A C# module the tool compiles from this test assembly.</summary>
[BpfModule]
public static class CliCompileSample
{
    [Map(MaxEntries = 8)] public static ArrayMap<CliPacketCount> Counts = null!;

    [Xdp]
    public static unsafe XdpAction Count(ref XdpMd ctx)
    {
        ref CliPacketCount c = ref Counts.Lookup(0);
        if (Unsafe.IsNullRef(ref c)) return XdpAction.Pass;
        Interlocked.Increment(ref c.Packets);
        Interlocked.Add(ref c.Bytes, (ulong)(ctx.DataEnd - ctx.Data));
        return XdpAction.Pass;
    }
}

/// <summary>A module that must not compile: it allocates.</summary>
[BpfModule]
public static class CliCompileBroken
{
    [SocketFilter]
    public static int Filter(ref SkBuff skb)
    {
        object o = new(); // BPF0102
        return o.GetHashCode();
    }
}

/// <summary><c>bpfsharp compile</c>: objects out for good modules, MSBuild-style diagnostics and exit 1 for bad ones.</summary>
public sealed class CompileCommandTests
{
    static string TestAssembly => typeof(CompileCommandTests).Assembly.Location;

    [Fact]
    public void Writes_one_object_per_module_that_libbpf_loads()
    {
        using var dir = new TemporaryDirectory();
        string output = BpfsharpTool.Succeed("compile", TestAssembly, "--module", nameof(CliCompileSample), "-o", dir.Path);
        string obj = Path.Combine(dir.Path, "CliCompileSample.bpf.o");
        Assert.Contains(obj, output);
        Assert.True(File.Exists(obj));

        Kernel.Require();
        Require.LibbpfLoad();
        using PinDirectory pins = PinDirectory.Create("cli_compile");
        ToolResult load = ExternalTool.Run("bpftool", ["prog", "loadall", obj, pins.Path + "/progs"], TimeSpan.FromMinutes(1));
        Assert.True(load.Succeeded, load.ToString());
        string inspect = BpfsharpTool.Succeed("inspect", obj);
        Assert.Contains("Count", inspect);
        Assert.Contains("xdp", inspect);
    }

    [Fact]
    public void Reports_errors_at_the_CSharp_line_and_exits_1()
    {
        using var dir = new TemporaryDirectory();
        ToolResult result = BpfsharpTool.Run("compile", TestAssembly, "--module", nameof(CliCompileBroken), "-o", dir.Path);
        Assert.Equal(1, result.ExitCode);
        int line = Array.FindIndex(File.ReadAllLines(SourceFile()), l => l.Contains("// BPF0102", StringComparison.Ordinal)) + 1;
        Assert.Matches($@"CompileCommandTests\.cs\({line},\d+\): error BPF0102: ", result.StandardError);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    static string SourceFile([CallerFilePath] string path = "") => path;

    sealed class TemporaryDirectory : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("bpfsharp_cli_compile_").FullName;
        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
