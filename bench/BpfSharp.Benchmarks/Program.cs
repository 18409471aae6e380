using BenchmarkDotNet.Running;
using BpfSharp.Benchmarks;

// Modes:
//   (default)        BenchmarkDotNet, e.g. --filter '*Map*' --exporters json (maps), '*BtfParse*' (BTF parse)
//   --alloc-check    exact managed bytes allocated per invocation of each map benchmark (needs root)
//   --rounds [SCALE] [OP|SUITE...]  the C harnesses' method (median of 5 timed rounds) on the same bodies, for
//                    interleaved A/B runs; SUITE: maps (default) or objects
//   --compare ...    pairs map_bench/object_bench output with BenchmarkDotNet's JSON; see Compare.Usage
return args.Length > 0 && args[0] == "--compare" ? Compare.Run(args[1..])
    : args.Length > 0 && args[0] == "--alloc-check" ? AllocCheck.Run(args[1..])
    : args.Length > 0 && args[0] == "--rounds" ? Rounds.Run(args[1..])
    : RunBenchmarks(args);

static int RunBenchmarks(string[] args)
{
    var summaries = BenchmarkSwitcher.FromAssembly(typeof(MapBenchmarks).Assembly).Run(args);
    return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
}
