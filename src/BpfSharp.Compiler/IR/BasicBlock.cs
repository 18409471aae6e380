namespace BpfSharp.Compiler.IR;

/// <summary>A straight run of instructions ended by one <see cref="Terminator"/>.</summary>
public sealed class BasicBlock(int id)
{
    public int Id { get; } = id;
    public string Label => $"bb{Id}";
    public List<IrInstruction> Instructions { get; } = [];

    /// <summary>The block's end; null only while the frontend is still building it.</summary>
    public Terminator? Terminator { get; set; }

    public IEnumerable<BasicBlock> Successors => Terminator?.Successors ?? [];

    public override string ToString() => Label;
}
