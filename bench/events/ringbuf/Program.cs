using BpfSharp.Bench.RingBuf;

// Modes:
//   PRODUCER.bpf.o [SCALE]    the C harness's method (ringbuf_bench.c) on RingBufferReader.Consume; same output format
//   --compare ...             pairs ringbuf_bench and RingBufBench outputs into a Markdown table (see Comparison.Usage)
return args.Length > 0 && args[0] == "--compare" ? Comparison.Run(args[1..])
    : args.Length > 0 ? ConsumeBenchmark.Run(args)
    : Usage();

static int Usage()
{
    Console.Error.WriteLine("usage: RingBufBench PRODUCER.bpf.o [SCALE] | --compare ...");
    return 2;
}
