using System.Runtime.InteropServices;
using BpfSharp.Compiler.Tests.Frontend;
using BpfSharp.Objects;
using BpfSharp.Programs;
using Xunit;

namespace BpfSharp.Compiler.Tests.EndToEnd;

public class EndToEndTests
{
    [Fact]
    public void A_CSharp_module_compiles_loads_and_runs()
    {
        CompilationResult result = BpfCompiler.Compile(typeof(FrontendSample));
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        byte[] elf = result.Module(nameof(FrontendSample)).ObjectBytes;
        File.WriteAllBytes("/tmp/FrontendSample.bpf.o", elf);
        Emit.KernelGate.Require();
        using BpfObject obj = BpfObject.Load(elf, "FrontendSample");
        BpfProgram arith = obj.Program("Arith");
        var args = new SampleArgs { X = 5, Y = 3 };
        Span<byte> ctx = MemoryMarshal.AsBytes(new Span<SampleArgs>(ref args));
        TestRunResult r = arith.TestRun(new TestRunOptions { Context = ctx });
        // s = sum(i*3, i<5) = 30; Result = 30/3 = 10; 30 > 7 → 1
        Assert.Equal(10, args.Result);
        Assert.Equal(1u, r.ReturnValue);
    }
}
