using BpfSharp.Bench.Compiler;
using BpfSharp.Bench.Compiler.Runner;
using BpfSharp.Objects;

// The compiler benchmark of issue 4: five programs in C (clang) and C# (BpfSharp), compared on xlated instruction
// count, BPF_PROG_TEST_RUN ns per run, and compile time. bench/compiler/run.sh builds the C objects and runs this.
RunSettings settings;
try
{
    settings = RunSettings.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

string assembly = typeof(ProtoCount).Assembly.Location;

var results = new List<CaseResult>();
foreach (BenchmarkCase c in BenchmarkCase.All)
{
    Console.WriteLine($"--- {c.Title}");
    var result = new CaseResult(c);
    results.Add(result);

    using var cSide = new Side("C", BpfObject.Load(Path.Combine(settings.CObjects, c.CObject)));
    c.Prepare?.Invoke(cSide.Object);
    result.CInstructions = cSide.XlatedInstructions;

    Side? csSide = null;
    try
    {
        CSharpCompilation compiled = settings.CsObjects is { } dir ? ReadObject(Path.Combine(dir, c.CsModule + ".bpf.o"))
            : BpfSharpCompilerBridge.CompileModule(assembly, c.CsModule);
        if (compiled.ObjectBytes is null)
        {
            result.Problems.Add("C# did not compile: " + string.Join("\n", compiled.Diagnostics));
        }
        else
        {
            try
            {
                csSide = new Side("C#", BpfObject.Load(compiled.ObjectBytes, c.CsModule));
                c.Prepare?.Invoke(csSide.Object);
                result.CsInstructions = csSide.XlatedInstructions;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                result.Problems.Add($"the C# object did not load: {e.GetType().Name}: {e.Message}");
            }
        }

        if (settings.Output is { } o)
        {
            // Beside the summary: both xlated listings, for reading where the instruction counts differ.
            string listings = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(o))!, "compiler-xlated");
            Directory.CreateDirectory(listings);
            File.WriteAllText(Path.Combine(listings, c.CsModule + ".c.txt"), cSide.XlatedListing());
            string csListing = Path.Combine(listings, c.CsModule + ".cs.txt");
            if (csSide is not null) File.WriteAllText(csListing, csSide.XlatedListing());
            else File.Delete(csListing); // no stale listing from an earlier run
        }
        result.Problems.AddRange(csSide is null ? Equivalence.Check(c, cSide) : Equivalence.Check(c, cSide, csSide));
        (result.CNs, result.CsNs) = RunTiming.Measure(c, cSide, csSide, settings.Rounds, settings.Repeat);
    }
    finally
    {
        csSide?.Dispose();
    }

    result.ClangMs = CompileTiming.Clang(settings.ClangCommand, Path.Combine(settings.CSources, c.CSource), settings.ClangIterations);
    if (settings.CsObjects is null && result.CsLoaded)
        result.BpfSharpMs = CompileTiming.BpfSharp(assembly, c.CsModule, settings.CompilerWarmup, settings.CompilerIterations);

    Console.WriteLine($"    insns C {result.CInstructions} C# {result.CsInstructions?.ToString() ?? "–"}; " +
        $"ns/run C {Stats.Median(result.CNs):0} C# {(result.CsNs.Count > 0 ? Stats.Median(result.CsNs).ToString("0") : "–")}; " +
        $"compile ms clang {Stats.Median(result.ClangMs):0.0} BpfSharp {(result.BpfSharpMs is { } t ? Stats.Median(t).ToString("0.0") : "–")}");
    foreach (string p in result.Problems) Console.WriteLine("    problem: " + p);
}

string report = Report.Render(results, settings);
Console.WriteLine();
Console.WriteLine(report);
if (settings.Output is { } output)
{
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
    File.WriteAllText(output, report);
    Console.WriteLine($"written to {output}");
}
return results.Any(r => r.Problems.Count > 0) ? 1 : 0;

static CSharpCompilation ReadObject(string path) =>
    File.Exists(path) ? new(File.ReadAllBytes(path), []) : new(null, [$"{path} does not exist"]);
