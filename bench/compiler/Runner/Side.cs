using BpfSharp.Objects;
using BpfSharp.Programs;

namespace BpfSharp.Bench.Compiler.Runner;

/// <summary>One version of a benchmark program loaded into the kernel (the C object or the C# module's object).</summary>
sealed class Side(string label, BpfObject obj) : IDisposable
{
    public string Label { get; } = label;
    public BpfObject Object { get; } = obj;

    /// <summary>The object's only program (subprograms are part of it).</summary>
    public BpfProgram Program { get; } = obj.Programs.Values.Single();

    /// <summary>Instructions after the verifier's rewrites (xlated length / 8), subprograms included.</summary>
    public uint XlatedInstructions => Program.GetInfo().XlatedLength / 8;

    /// <summary>The xlated program as text, to see where the two versions differ.</summary>
    public string XlatedListing() => Asm.Disassembler.FormatProgram(Program.GetXlatedInstructions());

    public void Dispose() => Object.Dispose();
}
