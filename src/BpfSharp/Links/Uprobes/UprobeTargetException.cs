namespace BpfSharp.Links.Uprobes;

/// <summary>
/// The target of a uprobe, uprobe_multi or USDT attachment could not be found or used: no such binary or library, a
/// file that is not an executable or shared object, a missing or ambiguous symbol, a missing USDT probe, an argument
/// spec this library cannot read. The message says what was looked for, where, and how to fix it.
/// </summary>
public sealed class UprobeTargetException : BpfException
{
    public UprobeTargetException(string message, string? binaryPath = null, Exception? inner = null) : base(message, inner)
    {
        BinaryPath = binaryPath;
    }

    /// <summary>The binary or library the attachment named (as given or as resolved), when known.</summary>
    public string? BinaryPath { get; }

    /// <summary>Names close to a missing symbol or probe, best first (empty when nothing is close).</summary>
    public IReadOnlyList<string> NearMatches { get; init; } = [];
}
