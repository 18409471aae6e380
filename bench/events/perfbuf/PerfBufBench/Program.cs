using BpfSharp.Benchmarks.PerfBuf;

// Modes:
//   OBJECT [SCALE]                       measure (the C harness's method and output format, see ConsumeBench)
//   --compare --libbpf FILE... --ours FILE... [--out FILE]   the side-by-side table (see Comparison)
return args.Length > 0 && args[0] == "--compare" ? Comparison.Run(args[1..]) : ConsumeBench.Run(args);
