using BpfSharp.Kernel;
using Xunit;

namespace BpfSharp.Compiler.Tests.EndToEnd;

/// <summary>Every module the tests compile successfully also loads with libbpf (<c>bpftool prog loadall</c>).</summary>
public class LibbpfInteropTests
{
    public static TheoryData<string> CompilingModules()
    {
        var data = new TheoryData<string>();
        foreach (Type t in typeof(LibbpfInteropTests).Assembly.GetTypes())
            // VerifierRejectsModule compiles on purpose into a program the verifier refuses.
            if (t.IsDefined(typeof(BpfModuleAttribute), inherit: false) && t != typeof(VerifierRejectsModule) && BpfCompiler.Compile(t).Success)
                data.Add(t.FullName!);
        return data;
    }

    [Fact]
    public void The_working_modules_of_the_test_assembly_compile()
    {
        // Guards the theory below against running over nothing.
        Assert.True(CompilingModules().Count >= 12, $"only {CompilingModules().Count} modules compiled");
    }

    [Theory]
    [MemberData(nameof(CompilingModules))]
    public void bpftool_loadall_accepts_the_object(string moduleName)
    {
        Emit.KernelGate.RequireBpftool();
        Type module = typeof(LibbpfInteropTests).Assembly.GetType(moduleName)!;
        byte[] elf = BpfCompiler.Compile(module).Modules[0].ObjectBytes;
        string file = Path.Combine(Path.GetTempPath(), $"bpfsharp_loadall_{Environment.ProcessId}_{Guid.NewGuid():N}.bpf.o");
        string pins = $"/sys/fs/bpf/bpfsharp_loadall_{Environment.ProcessId}_{Guid.NewGuid():N}";
        File.WriteAllBytes(file, elf);
        try
        {
            (int code, string output) = Emit.KernelGate.Run("bpftool", "prog", "loadall", file, pins);
            Assert.True(code == 0, $"libbpf refused {module.Name}:\n{output}");
        }
        finally
        {
            File.Delete(file);
            if (Directory.Exists(pins)) Directory.Delete(pins, recursive: true);
        }
    }
}
