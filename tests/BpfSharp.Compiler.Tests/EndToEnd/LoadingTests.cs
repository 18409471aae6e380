using System.Runtime.InteropServices;
using BpfSharp.Maps;
using BpfSharp.Objects;
using BpfSharp.Programs;
using Xunit;

namespace BpfSharp.Compiler.Tests.EndToEnd;

public class LoadingTests
{
    static TestRunResult Run(BpfObject obj, string program, ref CountArgs args) =>
        obj.Program(program).TestRun(new TestRunOptions { Context = MemoryMarshal.AsBytes(new Span<CountArgs>(ref args)) });

    [Fact]
    public void Load_of_a_module_type_compiles_loads_and_shares_types_with_the_user_side()
    {
        Emit.KernelGate.Require();
        using BpfObject obj = BpfObject.Load<LoadableModule>(o => o.SetGlobal(nameof(LoadableModule.Increment), 5u));
        var args = new CountArgs { Source = 7, Times = 3 };
        Run(obj, nameof(LoadableModule.Count), ref args);
        Assert.Equal(15ul, args.Out); // 3 increments of 5 set before load in .rodata

        var flows = obj.Map<HashMap<FlowKey, FlowStats>>(nameof(LoadableModule.Flows));
        FlowStats stats = flows[new FlowKey { Source = 7, Cookie = 42 }];
        Assert.Equal(15ul, stats.Packets);
        Assert.Equal(FlowKind.Udp, stats.Kind);
        Assert.True(stats.Seen);
        Assert.Equal('x', stats.Tag);
        Assert.Equal(1ul, obj.GetGlobal<ulong>(nameof(LoadableModule.Calls)));
    }

    [Fact]
    public void An_InlineArray_indexed_by_a_variable_checks_its_bounds_like_CSharp()
    {
        Emit.KernelGate.Require();
        using BpfObject obj = BpfObject.Load(typeof(InlineArrayIndexModule));
        for (uint times = 0; times <= 12; times++)
        {
            var args = new CountArgs { Times = times, Out = 12345 };
            TestRunResult r = Run(obj, nameof(InlineArrayIndexModule.Sum), ref args);
            if (times <= 8)
            {
                ulong expected = 0;
                for (uint i = 0; i < times; i++) expected += i * 3 + 1;
                Assert.Equal(0u, r.ReturnValue);
                Assert.Equal(expected, args.Out);
            }
            else
            {
                // C# throws IndexOutOfRangeException at values[8]: the program ends with ExceptionReturn, Out untouched.
                Assert.Equal((uint)InlineArrayIndexModule.OutOfRange, r.ReturnValue);
                Assert.Equal(12345ul, args.Out);
            }
        }
    }

    [Fact]
    public void A_verifier_rejection_names_the_CSharp_file_and_line()
    {
        Emit.KernelGate.Require();
        var e = Assert.ThrowsAny<BpfException>(() => BpfObject.Load(typeof(VerifierRejectsModule)));
        string source = Path.Combine(SourceDirectory(), "EndToEndModules.cs");
        int line = Array.FindIndex(File.ReadAllLines(source), l => l.Contains("VERIFIER-REJECTS-HERE", StringComparison.Ordinal)) + 1;
        Assert.Contains($"EndToEndModules.cs:{line}", e.Message);
        Assert.Contains("Unchecked", e.Message);
    }

    [Fact]
    public void libbpf_loads_the_object_and_bpftool_shows_complete_types_and_field_names()
    {
        Emit.KernelGate.RequireBpftool();
        byte[] elf = CompiledModuleLoader.CompileModule(typeof(LoadableModule));
        string dir = Path.Combine(Path.GetTempPath(), $"bpfsharp_e2e_{Environment.ProcessId}_{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        string file = Path.Combine(dir, "LoadableModule.bpf.o");
        File.WriteAllBytes(file, elf);
        string pins = $"/sys/fs/bpf/bpfsharp_e2e_{Environment.ProcessId}_{Guid.NewGuid():N}";
        try
        {
            (int code, string output) = Emit.KernelGate.Run("bpftool", "prog", "loadall", file, pins);
            Assert.True(code == 0, output);
            (code, output) = Emit.KernelGate.Run("bpftool", "btf", "dump", "file", file, "format", "c");
            Assert.True(code == 0, output);
            Assert.Contains("struct FlowKey {", output);
            Assert.Contains("struct FlowStats {", output);
            Assert.Contains("enum FlowKind", output);
            Assert.DoesNotContain("struct FlowKey;", output); // never a forward declaration

            using BpfObject obj = BpfObject.Load(elf, "LoadableModule");
            var args = new CountArgs { Source = 3, Times = 2 };
            Run(obj, nameof(LoadableModule.Count), ref args);
            string mapPin = pins + "_map";
            obj.Map(nameof(LoadableModule.Flows)).Pin(mapPin);
            try
            {
                (code, output) = Emit.KernelGate.Run("bpftool", "map", "dump", "pinned", mapPin);
                Assert.True(code == 0, output);
                Assert.Contains("\"Packets\": 2", output);
                Assert.Contains("\"Source\": 3", output);
                Assert.Contains("\"Kind\"", output);
            }
            finally { File.Delete(mapPin); }
        }
        finally
        {
            if (Directory.Exists(pins)) Directory.Delete(pins, recursive: true);
            Directory.Delete(dir, recursive: true);
        }
    }

    static string SourceDirectory([System.Runtime.CompilerServices.CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
