using BpfSharp.Compiler.IR;

namespace BpfSharp.Compiler.Emit;

/// <summary>A global variable placed in its data section.</summary>
internal sealed record PlacedGlobal(GlobalVariable Global, string SymbolName, int Offset)
{
    public int Size => Global.Type.Size;
}

/// <summary>One of <c>.rodata</c>, <c>.data</c>, <c>.bss</c>: its variables in declaration order, each at its natural alignment (at most 8).</summary>
internal sealed class DataSection(GlobalSection kind)
{
    public GlobalSection Kind { get; } = kind;
    public string Name => Kind switch { GlobalSection.ReadOnly => ".rodata", GlobalSection.Data => ".data", _ => ".bss" };
    public List<PlacedGlobal> Variables { get; } = [];
    public int Size { get; private set; }

    public void Add(GlobalVariable global, string symbolName)
    {
        int alignment = Math.Clamp(global.Type.Alignment, 1, 8);
        int offset = (Size + alignment - 1) / alignment * alignment;
        Variables.Add(new PlacedGlobal(global, symbolName, offset));
        Size = offset + global.Type.Size;
    }

    /// <summary>The section's initial bytes (initial values shorter than the type are zero-extended).</summary>
    public byte[] Bytes()
    {
        var bytes = new byte[Size];
        foreach (PlacedGlobal v in Variables)
            v.Global.InitialValue.AsSpan(0, Math.Min(v.Global.InitialValue.Length, v.Size)).CopyTo(bytes.AsSpan(v.Offset));
        return bytes;
    }
}
