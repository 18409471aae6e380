using BpfSharp.Compiler.Diagnostics;
using Xunit;

namespace BpfSharp.Compiler.Tests.DiagnosticChecks;

/// <summary>No input may crash the compiler: bad files and bad modules give diagnostics, never exceptions.</summary>
public class RobustnessTests
{
    public static TheoryData<string> Modules()
    {
        var data = new TheoryData<string>();
        foreach (Type t in typeof(RobustnessTests).Assembly.GetTypes())
            if (t.IsDefined(typeof(Kernel.BpfModuleAttribute), inherit: false)) data.Add(t.FullName!);
        return data;
    }

    [Theory]
    [MemberData(nameof(Modules))]
    public void Every_module_of_the_test_assembly_compiles_or_reports(string moduleName)
    {
        Type module = typeof(RobustnessTests).Assembly.GetType(moduleName)!;
        CompilationResult result = BpfCompiler.Compile(module);
        Assert.Equal(result.Success, result.Modules.Count == 1);
        Assert.DoesNotContain(result.Diagnostics, d => d.Id == DiagnosticCatalog.InternalError.Id);
    }

    [Fact]
    public void The_whole_test_assembly_compiles_without_throwing()
    {
        CompilationResult result = BpfCompiler.CompileFile(typeof(RobustnessTests).Assembly.Location);
        Assert.False(result.Success);
        Assert.Empty(result.Modules);
        Assert.Contains(result.Diagnostics, d => d.Id == "BPF0102");
    }

    public static TheoryData<string> GarbageInputs() =>
        ["empty", "random", "zeros", "native-elf", "truncated-assembly", "pe-header-only", "missing", "directory"];

    [Theory]
    [MemberData(nameof(GarbageInputs))]
    public void Garbage_input_gives_BPF0001(string kind)
    {
        string dir = Directory.CreateTempSubdirectory("bpfsharp-garbage-").FullName;
        try
        {
            string path = Path.Combine(dir, "input.dll");
            byte[] assembly = File.ReadAllBytes(typeof(RobustnessTests).Assembly.Location);
            switch (kind)
            {
                case "empty": File.WriteAllBytes(path, []); break;
                case "random": File.WriteAllBytes(path, RandomBytes(4096, seed: 4)); break;
                case "zeros": File.WriteAllBytes(path, new byte[4096]); break;
                case "native-elf": File.Copy(File.Exists("/bin/true") ? "/bin/true" : "/usr/bin/true", path); break;
                case "truncated-assembly": File.WriteAllBytes(path, assembly[..(assembly.Length / 2)]); break;
                case "pe-header-only": File.WriteAllBytes(path, assembly[..512]); break;
                case "missing": break;
                case "directory": Directory.CreateDirectory(path); break;
            }
            CompilationResult result = BpfCompiler.CompileFile(path);
            Assert.False(result.Success);
            Assert.Empty(result.Modules);
            Assert.Contains(result.Errors, d => d.Id is "BPF0001");
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void Corrupted_assemblies_give_diagnostics_not_exceptions()
    {
        // Flip bytes of a real assembly (metadata, IL, PDB reference) at seeded random places.
        byte[] original = File.ReadAllBytes(typeof(RobustnessTests).Assembly.Location);
        string dir = Directory.CreateTempSubdirectory("bpfsharp-corrupt-").FullName;
        try
        {
            var random = new Random(11);
            for (int round = 0; round < 50; round++)
            {
                byte[] bytes = (byte[])original.Clone();
                for (int k = 0; k < 16; k++) bytes[random.Next(bytes.Length)] ^= (byte)random.Next(1, 256);
                string path = Path.Combine(dir, $"corrupt{round}.dll");
                File.WriteAllBytes(path, bytes);
                CompilationResult result = BpfCompiler.CompileFile(path, new CompilerOptions { Module = nameof(Frontend.FrontendSample) });
                Assert.NotNull(result.Diagnostics);
            }
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void Assemblies_without_modules_give_BPF0003()
    {
        foreach (string path in new[] { typeof(Kernel.BpfModuleAttribute).Assembly.Location, typeof(BpfCompiler).Assembly.Location, typeof(Assert).Assembly.Location })
        {
            CompilationResult result = BpfCompiler.CompileFile(path);
            Assert.Equal("BPF0003", Assert.Single(result.Errors).Id);
        }
    }

    static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
