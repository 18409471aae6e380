namespace BpfSharp.Bench.Compiler.Runner;

/// <summary>Every figure measured for one benchmark program; C# figures are null when its side did not compile or load.</summary>
sealed class CaseResult(BenchmarkCase c)
{
    public BenchmarkCase Case { get; } = c;
    public uint CInstructions { get; set; }
    public uint? CsInstructions { get; set; }
    public List<uint> CNs { get; set; } = [];
    public List<uint> CsNs { get; set; } = [];
    public List<double> ClangMs { get; set; } = [];
    public List<double>? BpfSharpMs { get; set; }
    /// <summary>Why the C# side is missing (compiler diagnostics, load error), or differences between the two sides.</summary>
    public List<string> Problems { get; } = [];
    public bool CsLoaded => CsInstructions is not null;
}
