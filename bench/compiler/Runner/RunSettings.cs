namespace BpfSharp.Bench.Compiler.Runner;

/// <summary>The command line: where the C side is, and how long to measure.</summary>
sealed record RunSettings
{
    public required string CSources { get; init; }
    public required string CObjects { get; init; }
    public required string ClangCommand { get; init; }
    public string? Output { get; init; }
    /// <summary>Load the C# side from <c>MODULE.bpf.o</c> files here (e.g. from <c>bpfsharp compile</c>) instead of compiling in-process; its compile time is then not measured.</summary>
    public string? CsObjects { get; init; }
    public int Rounds { get; init; } = 9;
    public uint Repeat { get; init; } = 1_000_000;
    public int ClangIterations { get; init; } = 10;
    public int CompilerWarmup { get; init; } = 5;
    public int CompilerIterations { get; init; } = 30;

    public const string Usage =
        "usage: Runner --c-sources DIR --c-objects DIR --clang \"clang-19 -O2 -g -target bpf …\" [--out FILE.md] [--cs-objects DIR]\n" +
        "              [--rounds N] [--repeat N] [--clang-iterations N] [--compiler-warmup N] [--compiler-iterations N]";

    public static RunSettings Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
                throw new ArgumentException($"unexpected argument '{args[i]}'\n{Usage}");
            values[args[i][2..]] = args[++i];
        }
        string Required(string name) => values.Remove(name, out string? v) ? v : throw new ArgumentException($"--{name} is required\n{Usage}");
        int Int(string name, int fallback) => values.Remove(name, out string? v) ? int.Parse(v, System.Globalization.CultureInfo.InvariantCulture) : fallback;

        var settings = new RunSettings
        {
            CSources = Required("c-sources"),
            CObjects = Required("c-objects"),
            ClangCommand = Required("clang"),
            Output = values.Remove("out", out string? o) ? o : null,
            CsObjects = values.Remove("cs-objects", out string? cs) ? cs : null,
            Rounds = Int("rounds", 9),
            Repeat = (uint)Int("repeat", 1_000_000),
            ClangIterations = Int("clang-iterations", 10),
            CompilerWarmup = Int("compiler-warmup", 5),
            CompilerIterations = Int("compiler-iterations", 30),
        };
        if (values.Count > 0) throw new ArgumentException($"unknown option --{values.Keys.First()}\n{Usage}");
        return settings;
    }
}
