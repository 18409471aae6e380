using System.Text;

namespace BpfSharp.Compiler.IR;

/// <summary>
/// One eBPF function: a program entry (with an ELF section) or a subprogram reached by BPF-to-BPF calls or as
/// a callback. Parameters arrive in r1–r5 in order; the result leaves in r0.
/// </summary>
public sealed class IrFunction(string name)
{
    /// <summary>The ELF symbol and BTF FUNC name: a valid C identifier, unique in the module.</summary>
    public string Name { get; } = name;

    /// <summary>The program's ELF section (e.g. <c>xdp</c>, <c>tracepoint/syscalls/sys_enter_openat</c>), or null for a subprogram.</summary>
    public string? Section { get; set; }

    public bool IsProgram => Section is not null;

    /// <summary>At most 5.</summary>
    public List<VirtualRegister> Parameters { get; } = [];

    /// <summary>The kind of r0 on return, or null for void.</summary>
    public ValueKind? ReturnKind { get; set; }

    /// <summary>The first block is the entry.</summary>
    public List<BasicBlock> Blocks { get; } = [];

    public List<StackSlot> StackSlots { get; } = [];

    /// <summary>Where the C# method is declared (first sequence point), for func_info/line_info.</summary>
    public Asm.SourceLocation? Source { get; set; }

    /// <summary>The program's return value when it aborts (see <see cref="AbortTerminator"/>).</summary>
    public long ExceptionExitCode { get; set; }

    /// <summary>The C# signature for BTF FUNC_PROTO: parameter names and types, return type.</summary>
    public FunctionSignature? Signature { get; set; }

    int _nextRegister, _nextBlock, _nextSlot;

    public VirtualRegister NewRegister(ValueKind kind, string? name = null) => new(_nextRegister++, kind, name);

    /// <summary>The number of virtual registers created (ids are 0 … RegisterCount-1).</summary>
    public int RegisterCount => _nextRegister;

    public BasicBlock NewBlock()
    {
        var block = new BasicBlock(_nextBlock++);
        Blocks.Add(block);
        return block;
    }

    public StackSlot NewStackSlot(int size, int alignment, string? name = null)
    {
        var slot = new StackSlot(_nextSlot++, size, alignment, name);
        StackSlots.Add(slot);
        return slot;
    }

    /// <summary>A readable dump of the function, for golden tests and debugging.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append(IsProgram ? $"program {Name} [{Section}]" : $"function {Name}")
          .Append('(').Append(string.Join(", ", Parameters)).Append(')')
          .Append(ReturnKind is { } k ? " -> " + k : "").AppendLine();
        foreach (StackSlot slot in StackSlots)
            sb.Append("  ").Append(slot).Append(": ").Append(slot.Size).Append(" bytes, align ").Append(slot.Alignment).AppendLine();
        foreach (BasicBlock block in Blocks)
        {
            sb.Append(block.Label).AppendLine(":");
            foreach (IrInstruction i in block.Instructions) sb.Append("  ").AppendLine(i.ToString());
            sb.Append("  ").AppendLine(block.Terminator?.ToString() ?? "<unterminated>");
        }
        return sb.ToString();
    }
}

/// <summary>A function's C# signature, for BTF: parameter names and types, and the return type (null for void).</summary>
public sealed record FunctionSignature(IReadOnlyList<(string Name, Types.TypeModel Type)> Parameters, Types.TypeModel? ReturnType);
