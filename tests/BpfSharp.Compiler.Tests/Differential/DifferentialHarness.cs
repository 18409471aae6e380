using System.Runtime.InteropServices;
using System.Text;
using BpfSharp.Objects;
using BpfSharp.Programs;
using Xunit;

namespace BpfSharp.Compiler.Tests.Differential;

/// <summary>
/// The context every differential program gets by <c>ref</c>: three operands in, one result out. Wrappers cast the
/// operands to the case's parameter types, so one 64-bit edge value exercises every narrower width too.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public struct Args
{
    public long A;
    public long B;
    public long C;
    public long R;

    public override readonly string ToString() => $"A={A} (0x{A:x}), B={B} (0x{B:x}), C={C} (0x{C:x})";
}

/// <summary>Constants shared by the case modules and the harness.</summary>
public static class Diff
{
    /// <summary>What every differential program returns where its C# throws.</summary>
    public const int Throws = 77;

    /// <summary>What every differential program returns when it completed.</summary>
    public const int Ok = 1;
}

/// <summary>
/// Compiles one <c>[BpfModule]</c> class once per test class and loads it on first use; <see cref="Check"/> runs a
/// program in the kernel and its C# on the CLR over the same inputs and demands identical results.
/// </summary>
public abstract class DifferentialFixture : IDisposable
{
    readonly Lazy<CompilationResult> compiled;
    BpfObject? loaded;

    protected DifferentialFixture(Type module)
    {
        Module = module;
        compiled = new(() => BpfCompiler.Compile(module));
    }

    /// <summary>The <c>[BpfModule]</c> class under test.</summary>
    public Type Module { get; }

    /// <summary>The kernel object, compiled and loaded on first use (after the kernel gate).</summary>
    public BpfObject Object
    {
        get
        {
            if (loaded is not null) return loaded;
            CompilationResult result = compiled.Value;
            Assert.True(result.Success, string.Join("\n", result.Diagnostics));
            Emit.KernelGate.Require();
            string name = Module.Name;
            try
            {
                return loaded = BpfObject.Load(result.Module(name).ObjectBytes, name);
            }
            catch (BpfVerifierException e)
            {
                string log = e.Log.Length > 6000 ? e.Log[^6000..] : e.Log;
                throw new Xunit.Sdk.XunitException($"verifier rejected '{e.ProgramName}' at {e.SourceLocation}:\n{e.DecisiveLines}\n--- log tail ---\n{log}");
            }
        }
    }

    /// <summary>Runs <paramref name="program"/> once on <paramref name="input"/>; returns (context R, return value).</summary>
    public (long Result, int Return) RunKernel(string program, Args input)
    {
        Args ctx = input;
        TestRunResult r = Object.Program(program).TestRun(new TestRunOptions { Context = MemoryMarshal.AsBytes(new Span<Args>(ref ctx)) });
        return (ctx.R, (int)r.ReturnValue);
    }

    /// <summary>The C# side, with exceptions mapped to the program's documented exit <see cref="Diff.Throws"/>.</summary>
    public static (long Result, int Return) RunClr(Func<Args, (long Result, int Return)> clr, Args input)
    {
        try
        {
            return clr(input);
        }
        catch (Exception e) when (e is ArithmeticException or InvalidOperationException or ArgumentException or IndexOutOfRangeException)
        {
            return (0, Diff.Throws);
        }
    }

    /// <summary>
    /// Asserts that every input gives the same (result, return) on the CLR and in the kernel; where C# throws only
    /// the return (<see cref="Diff.Throws"/>) is compared. Fails with the first mismatching input.
    /// </summary>
    public void Check(string program, Func<Args, (long Result, int Return)> clr, IEnumerable<Args> inputs)
    {
        _ = Object;
        int count = 0;
        foreach (Args input in inputs)
        {
            count++;
            (long Result, int Return) expected = RunClr(clr, input);
            (long Result, int Return) actual = RunKernel(program, input);
            bool same = expected.Return == actual.Return && (expected.Return == Diff.Throws || expected.Result == actual.Result);
            if (!same)
                Assert.Fail($"{program}: input #{count} {input}: CLR gave (R={expected.Result} (0x{expected.Result:x}), ret={expected.Return}), " +
                            $"kernel gave (R={actual.Result} (0x{actual.Result:x}), ret={actual.Return})");
        }
        Assert.True(count >= Inputs.MinimumCount, $"{program}: only {count} inputs; the issue asks for at least {Inputs.MinimumCount}.");
    }

    /// <summary>Checks a program against its own C# (the same method, run on the CLR) over the default operands.</summary>
    public void CheckProgram(string program) => Check(program, ModulePrograms.Clr(Module, program), Inputs.Operands(program));

    /// <summary>Checks a program whose C# always completes with <see cref="Diff.Ok"/>.</summary>
    public void Check(string program, Func<Args, long> clr, IEnumerable<Args>? inputs = null) =>
        Check(program, a => (clr(a), Diff.Ok), inputs ?? Inputs.Operands(program));

    public void Dispose()
    {
        loaded?.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>Deterministic inputs: edge values of every width mixed with seeded random values.</summary>
public static class Inputs
{
    public const int MinimumCount = 100;
    public const int DefaultCount = 100;

    /// <summary>0, ±1, min/max of each width, powers of two ±1 and the values around shift widths.</summary>
    public static IReadOnlyList<long> EdgeValues { get; } = BuildEdges();

    static long[] BuildEdges()
    {
        var set = new HashSet<long> { 0, 1, -1, 2, -2, 7, 8, 15, 16, 31, 32, 33, 63, 64, 65, -31, -32, -33, -63, -64, -65, 100, -100 };
        foreach (long v in new long[] { sbyte.MinValue, sbyte.MaxValue, byte.MaxValue, short.MinValue, short.MaxValue, ushort.MaxValue,
                                        int.MinValue, int.MaxValue, uint.MaxValue, long.MinValue, long.MaxValue })
            set.Add(v);
        for (int i = 0; i < 64; i++)
        {
            long p = 1L << i;
            set.Add(p);
            set.Add(p - 1);
            set.Add(p + 1);
            set.Add(-p);
        }
        return [.. set.Order()];
    }

    /// <summary>Seed from the case name, so every case gets its own but reproducible sequence.</summary>
    static int Seed(string name)
    {
        int h = 17;
        foreach (byte b in Encoding.UTF8.GetBytes(name)) h = unchecked(h * 31 + b);
        return h;
    }

    /// <summary>One operand: an edge value half of the time, otherwise random bits of a random width (with random sign).</summary>
    public static long Operand(Random random)
    {
        int pick = random.Next(4);
        if (pick < 2) return EdgeValues[random.Next(EdgeValues.Count)];
        long bits = random.NextInt64(long.MinValue, long.MaxValue);
        int width = random.Next(4) switch { 0 => 8, 1 => 16, 2 => 32, _ => 64 };
        long v = width == 64 ? bits : bits & ((1L << width) - 1);
        return pick == 2 || width == 64 ? v : -v;
    }

    /// <summary>The values whose pairs decide most corner cases (MinValue / -1, x / 0, shifts by the width).</summary>
    static readonly long[] KeyValues = [0, 1, -1, 2, 31, 32, 63, sbyte.MinValue, short.MinValue, int.MinValue, int.MaxValue, uint.MaxValue, long.MinValue, long.MaxValue];

    /// <summary>
    /// Inputs for <paramref name="name"/>: every pair of <see cref="KeyValues"/> as (A, B), then <paramref name="random"/>
    /// inputs mixing edge and random values.
    /// </summary>
    public static IEnumerable<Args> Operands(string name, int random = DefaultCount)
    {
        var rng = new Random(Seed(name));
        foreach (long a in KeyValues)
            foreach (long b in KeyValues)
                yield return new Args { A = a, B = b, C = Operand(rng), R = rng.NextInt64() };
        for (int i = 0; i < random; i++)
            yield return new Args { A = Operand(rng), B = Operand(rng), C = Operand(rng), R = rng.NextInt64() };
    }

    /// <summary>Inputs with a small non-negative A (loop counts, indexes) below <paramref name="limit"/>.</summary>
    public static IEnumerable<Args> Small(string name, int limit, int count = DefaultCount)
    {
        var random = new Random(Seed(name));
        for (int i = 0; i < count; i++)
            yield return new Args { A = i < limit ? i : random.Next(limit), B = Operand(random), C = Operand(random), R = random.NextInt64() };
    }
}

/// <summary>A differential program's C#: the context by <c>ref</c>, the return value out.</summary>
public delegate int ProgramBody(ref Args args);

/// <summary>The <c>[Syscall]</c> programs of a module class, and each one's C# run on the CLR.</summary>
public static class ModulePrograms
{
    /// <summary>Every <c>[Syscall]</c> method of <typeparamref name="TModule"/>, by name, for a theory.</summary>
    public static TheoryData<string> Of(Type module)
    {
        var data = new TheoryData<string>();
        foreach (System.Reflection.MethodInfo m in module.GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static))
            if (m.IsDefined(typeof(Kernel.SyscallAttribute), false)) data.Add(m.Name);
        return data;
    }

    /// <summary>The program's own C# run on the CLR: the same method the kernel runs compiled.</summary>
    public static Func<Args, (long Result, int Return)> Clr(Type module, string program)
    {
        ProgramBody body = module.GetMethod(program)!.CreateDelegate<ProgramBody>();
        return input =>
        {
            Args copy = input;
            int ret = body(ref copy);
            return (copy.R, ret);
        };
    }
}
