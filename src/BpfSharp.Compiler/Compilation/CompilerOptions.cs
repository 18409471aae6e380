namespace BpfSharp.Compiler;

/// <summary>Options of a compilation.</summary>
public sealed record CompilerOptions
{
    /// <summary>Compile only the module with this full or simple class name; null for every [BpfModule] class.</summary>
    public string? Module { get; init; }

    /// <summary>Run the IR optimiser (on by default; off only to look at the frontend's output).</summary>
    public bool Optimize { get; init; } = true;
}
