namespace BpfSharp.Asm;

/// <summary>The 8-bit opcode of an instruction, with views of its fields.</summary>
/// <remarks>
/// ALU and jump opcodes are <c>op | source | class</c>; load and store opcodes are <c>mode | size | class</c>.
/// The views do not check which layout applies: <see cref="AluOp"/> of a load is meaningless.
/// </remarks>
public readonly record struct OpCode(byte Value)
{
    /// <summary>The <c>ld_imm64</c> opcode (<c>BPF_LD | BPF_DW | BPF_IMM</c>).</summary>
    public static OpCode LoadImm64 => new(0x18);

    /// <summary>The <c>call</c> opcode (<c>BPF_JMP | BPF_CALL</c>).</summary>
    public static OpCode Call => new(0x85);

    /// <summary>The <c>exit</c> opcode (<c>BPF_JMP | BPF_EXIT</c>).</summary>
    public static OpCode Exit => new(0x95);

    /// <summary>The instruction class (low three bits).</summary>
    public InstructionClass Class => (InstructionClass)(Value & 0x07);

    /// <summary>The operand source bit of an ALU or jump opcode.</summary>
    public OperandSource Source => (OperandSource)(Value & 0x08);

    /// <summary>The operation of an ALU opcode.</summary>
    public AluOp AluOp => (AluOp)(Value & 0xf0);

    /// <summary>The operation of a jump opcode.</summary>
    public JumpOp JumpOp => (JumpOp)(Value & 0xf0);

    /// <summary>The access size of a load or store opcode.</summary>
    public MemorySize Size => (MemorySize)(Value & 0x18);

    /// <summary>The mode of a load or store opcode.</summary>
    public AddressingMode Mode => (AddressingMode)(Value & 0xe0);

    /// <summary>True for the ALU and ALU64 classes.</summary>
    public bool IsAlu => Class is InstructionClass.Alu or InstructionClass.Alu64;

    /// <summary>True for the JMP and JMP32 classes.</summary>
    public bool IsJumpClass => Class is InstructionClass.Jmp or InstructionClass.Jmp32;

    /// <summary>An ALU or ALU64 opcode.</summary>
    public static OpCode Alu(InstructionClass aluClass, AluOp op, OperandSource source) =>
        new((byte)((byte)op | (byte)source | (byte)aluClass));

    /// <summary>A JMP or JMP32 opcode.</summary>
    public static OpCode Jump(InstructionClass jumpClass, JumpOp op, OperandSource source) =>
        new((byte)((byte)op | (byte)source | (byte)jumpClass));

    /// <summary>A load or store opcode.</summary>
    public static OpCode Memory(InstructionClass memoryClass, AddressingMode mode, MemorySize size) =>
        new((byte)((byte)mode | (byte)size | (byte)memoryClass));

    /// <summary>The opcode as two lowercase hex digits, as the verifier log prints it.</summary>
    public override string ToString() => Value.ToString("x2", System.Globalization.CultureInfo.InvariantCulture);

    public static implicit operator byte(OpCode opCode) => opCode.Value;
}
