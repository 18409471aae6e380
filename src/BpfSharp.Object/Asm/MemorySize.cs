namespace BpfSharp.Asm;

/// <summary>The access size of a load or store: bits 3–4 of its opcode.</summary>
public enum MemorySize : byte
{
    /// <summary>4 bytes (<c>BPF_W</c>).</summary>
    Word = 0x00,
    /// <summary>2 bytes (<c>BPF_H</c>).</summary>
    Half = 0x08,
    /// <summary>1 byte (<c>BPF_B</c>).</summary>
    Byte = 0x10,
    /// <summary>8 bytes (<c>BPF_DW</c>).</summary>
    DoubleWord = 0x18,
}
