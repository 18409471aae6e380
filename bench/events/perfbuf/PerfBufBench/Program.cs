using BpfSharp.Benchmarks.PerfBuf;

// Modes:
//   OBJECT [SCALE [CPU]]                 measure (the C harness's method and output format, see ConsumeBench)
//   --compare --libbpf FILE... --ours FILE... [--out FILE]   the side-by-side table (see Comparison)
//   --live OBJECT                        wakeup every sample vs a watermark, producer and poller concurrent (see ConsumeBench.Live)
return args.Length > 0 && args[0] == "--compare" ? Comparison.Run(args[1..])
    : args.Length > 1 && args[0] == "--live" ? ConsumeBench.Live(args[1..])
    : ConsumeBench.Run(args);
