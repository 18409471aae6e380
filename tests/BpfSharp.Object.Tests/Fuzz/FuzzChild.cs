using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace BpfSharp.Object.Tests.Fuzz;

/// <summary>
/// The fuzz loop, run in a child process (this test executable started again with BPFSHARP_FUZZ_CHILD set), so a
/// stack overflow or a hang in a parser ends the child, not the test run: <see cref="FuzzRunner"/> sees which input
/// was being processed, reports it, and starts a new child after it.
/// Protocol (stdout, one line each, tab-separated):
/// <c>begin ENTRY INDEX</c> before an input; <c>done ENTRY INDEX OUTCOME ALLOC_BYTES MICROSECONDS</c> after it
/// (OUTCOME: <c>parsed</c> or <c>rejected</c>); <c>fail ENTRY INDEX MESSAGE</c> for an exception that is not a
/// BpfFormatException. Index -1 is the unmutated input.
/// Request file (BPFSHARP_FUZZ_CHILD's value), tab-separated lines: <c>target NAME</c>, <c>seed N</c>,
/// <c>entry NAME PATH FIRST COUNT</c>.
/// </summary>
static class FuzzChild
{
    public const string Variable = "BPFSHARP_FUZZ_CHILD";

    // Runs before the test executable's Main, and only acts in a child started by FuzzRunner.
    [ModuleInitializer]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255", Justification = "Entry point of the fuzz child process; a no-op unless BPFSHARP_FUZZ_CHILD is set.")]
    internal static void RunIfChild()
    {
        if (Environment.GetEnvironmentVariable(Variable) is not { Length: > 0 } request) return;
        int code;
        try
        {
            code = Run(File.ReadAllLines(request));
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"fuzz child: {e}");
            code = 3;
        }
        Console.Out.Flush();
        Environment.Exit(code);
    }

    static int Run(string[] request)
    {
        FuzzTarget? target = null;
        ulong seed = 1;
        var entries = new List<(string Name, string Path, long First, long Count)>();
        foreach (string line in request)
        {
            string[] f = line.Split('\t');
            switch (f[0])
            {
                case "target": target = FuzzTargets.Get(f[1]); break;
                case "seed": seed = ulong.Parse(f[1]); break;
                case "entry": entries.Add((f[1], f[2], long.Parse(f[3]), long.Parse(f[4]))); break;
            }
        }
        if (target is null) throw new InvalidOperationException("request has no target");

        TextWriter output = Console.Out;
        foreach (var (name, path, first, count) in entries)
        {
            byte[] original = File.ReadAllBytes(path);
            MutationPlan? plan = null;
            for (long i = first; i < first + count; i++)
            {
                byte[] input;
                if (i < 0) input = original;
                else
                {
                    plan ??= new MutationPlan(original, FuzzTargets.ScannerFor(target.Kind)(original), seed);
                    input = plan[i].Apply(original);
                }
                output.WriteLine($"begin\t{name}\t{i}");
                output.WriteLine(RunOne(target, input, name, i));
            }
        }
        return 0;
    }

    static string RunOne(FuzzTarget target, byte[] input, string name, long index)
    {
        long start = Stopwatch.GetTimestamp();
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        string outcome;
        try
        {
            object? result = target.Parse(input);
            if (result is not null) target.Traverse?.Invoke(result);
            outcome = "parsed";
        }
        catch (BpfFormatException)
        {
            outcome = "rejected";
        }
        catch (Exception e)
        {
            string where = e.StackTrace?.Split('\n').FirstOrDefault(l => l.Contains(" at ")) ?? "";
            return $"fail\t{name}\t{index}\t{Flatten($"{e.GetType().FullName}: {e.Message} {where.Trim()}")}";
        }
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        long micros = (long)Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        return $"done\t{name}\t{index}\t{outcome}\t{allocated}\t{micros}";
    }

    static string Flatten(string s) => s.Replace('\t', ' ').Replace('\r', ' ').Replace('\n', ' ');
}
