using System.Buffers.Binary;

namespace BpfSharp.Asm;

/// <summary>Writes instructions as little-endian eBPF bytecode: 8 bytes per slot, 16 for <c>ld_imm64</c>.</summary>
public static class InstructionEncoder
{
    /// <summary>The number of bytes <paramref name="instructions"/> encode to.</summary>
    public static int GetByteCount(ReadOnlySpan<Instruction> instructions) =>
        InstructionList.SlotCount(instructions) * Instruction.SlotSize;

    /// <summary>Encodes <paramref name="instructions"/> into a new array.</summary>
    /// <exception cref="BpfAsmException">An instruction cannot be encoded.</exception>
    public static byte[] Encode(ReadOnlySpan<Instruction> instructions)
    {
        var bytes = new byte[GetByteCount(instructions)];
        Encode(instructions, bytes);
        return bytes;
    }

    /// <summary>Encodes <paramref name="instructions"/> into <paramref name="destination"/> and returns the bytes written.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too small.</exception>
    /// <exception cref="BpfAsmException">An instruction cannot be encoded.</exception>
    public static int Encode(ReadOnlySpan<Instruction> instructions, Span<byte> destination)
    {
        int needed = GetByteCount(instructions);
        if (destination.Length < needed)
            throw new ArgumentException($"The destination holds {destination.Length} bytes; {needed} are needed.", nameof(destination));

        int position = 0;
        for (int i = 0; i < instructions.Length; i++)
            position += Encode(instructions[i], destination[position..], i);
        return position;
    }

    /// <summary>Encodes one instruction and returns the bytes written (8 or 16).</summary>
    /// <exception cref="BpfAsmException">The instruction cannot be encoded.</exception>
    public static int Encode(in Instruction instruction, Span<byte> destination) => Encode(instruction, destination, index: null);

    private static int Encode(in Instruction instruction, Span<byte> destination, int? index)
    {
        if ((byte)instruction.Dst > 15 || (byte)instruction.Src > 15)
            throw new BpfAsmException($"{Describe(instruction, index)}: a register number must fit in 4 bits.");

        if (instruction.IsLoadImm64)
        {
            WriteSlot(destination, instruction.OpCode.Value, instruction.Dst, instruction.Src, instruction.Offset, unchecked((int)instruction.Constant));
            WriteSlot(destination[Instruction.SlotSize..], 0, Register.R0, Register.R0, 0, (int)(instruction.Constant >> 32));
            return 2 * Instruction.SlotSize;
        }

        if (instruction.Constant is < int.MinValue or > int.MaxValue)
            throw new BpfAsmException($"{Describe(instruction, index)}: constant 0x{instruction.Constant:x} does not fit in the 32-bit immediate.");
        WriteSlot(destination, instruction.OpCode.Value, instruction.Dst, instruction.Src, instruction.Offset, (int)instruction.Constant);
        return Instruction.SlotSize;
    }

    /// <summary>Writes one raw 8-byte slot.</summary>
    internal static void WriteSlot(Span<byte> slot, byte opCode, Register dst, Register src, short offset, int imm)
    {
        slot[0] = opCode;
        slot[1] = (byte)(((byte)src << 4) | ((byte)dst & 0x0f));
        BinaryPrimitives.WriteInt16LittleEndian(slot[2..], offset);
        BinaryPrimitives.WriteInt32LittleEndian(slot[4..], imm);
    }

    private static string Describe(in Instruction instruction, int? index) =>
        index is { } i ? $"instruction {i} (opcode 0x{instruction.OpCode})" : $"instruction with opcode 0x{instruction.OpCode}";
}
