using BpfSharp.Abi;
using BpfSharp.Asm;
using BpfSharp.Compiler.Backend;
using BpfSharp.Compiler.Diagnostics;
using BpfSharp.Compiler.IR;
using BpfSharp.Maps;
using BpfSharp.Programs;
using Xunit;

namespace BpfSharp.Compiler.Tests.Backend;

/// <summary>
/// Generates code, links a program with its subprograms (BPF-to-BPF calls resolved by symbol), loads it as a
/// sleepable BPF_PROG_TYPE_SYSCALL program and runs it over a context buffer the program reads and writes.
/// Loads use BPF_F_TEST_RND_HI32, so a missing 32→64 zero extension shows up as a wrong result.
/// Without a BPF-capable kernel a test is skipped, but under CI (CI set) it fails.
/// </summary>
static class KernelRunner
{
    public static void Require() => Emit.KernelGate.Require();

    public static CompiledFunction Compile(IrFunction function)
    {
        var diagnostics = new DiagnosticBag();
        CompiledFunction compiled = CodeGenerator.Generate(function, diagnostics);
        Assert.Empty(diagnostics.ToList());
        return compiled;
    }

    /// <summary>The program's instructions followed by each subprogram's, calls resolved; map references patched to fds.</summary>
    public static Instruction[] Link(IrFunction program, IReadOnlyList<IrFunction>? subprograms = null, IReadOnlyDictionary<string, BpfMap>? maps = null)
    {
        List<Instruction> all = [.. Compile(program).Instructions];
        foreach (IrFunction sub in subprograms ?? []) all.AddRange(Compile(sub).Instructions);
        Instruction[] linked = [.. all];
        for (int i = 0; i < linked.Length; i++)
        {
            if (linked[i].IsLoadImm64 && linked[i].Reference is { } name && maps is not null && maps.TryGetValue(name, out BpfMap? map))
                linked[i] = linked[i] with { Constant = (linked[i].Constant & unchecked((long)0xFFFF_FFFF_0000_0000)) | (uint)map.Fd.RawValue };
        }
        InstructionList.ResolveReferences(linked);
        return linked;
    }

    public static BpfProgram Load(Instruction[] instructions, string name = "backend_test") =>
        BpfProgram.Load(new ProgramLoadOptions
        {
            Type = BpfProgramType.Syscall,
            Name = name,
            Instructions = instructions,
            Flags = ProgramLoadFlags.Sleepable | ProgramLoadFlags.TestRndHi32,
            LogLevel = 0,
        });

    /// <summary>Runs the program on <paramref name="context"/> (changed in place, as the kernel copies it back) and returns r0.</summary>
    public static uint Run(BpfProgram program, long[] context)
    {
        byte[] bytes = new byte[context.Length * 8];
        Buffer.BlockCopy(context, 0, bytes, 0, bytes.Length);
        uint result = program.TestRun(new TestRunOptions { Context = bytes }).ReturnValue;
        Buffer.BlockCopy(bytes, 0, context, 0, bytes.Length);
        return result;
    }
}
