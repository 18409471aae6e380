using System.Buffers.Binary;

namespace BpfSharp.Asm;

/// <summary>Reads little-endian eBPF bytecode into instructions.</summary>
/// <remarks>
/// Decoding is structural: every opcode and register value is kept as found, so any well-sized input
/// round-trips byte for byte. Only a length that is not a whole number of slots, a truncated
/// <c>ld_imm64</c>, or a <c>ld_imm64</c> second slot with non-zero fields other than the immediate is rejected.
/// </remarks>
public static class InstructionDecoder
{
    /// <summary>Decodes a whole program.</summary>
    /// <exception cref="BpfAsmException">The bytes are not valid bytecode; the message and <see cref="BpfAsmException.ByteOffset"/> name where.</exception>
    public static Instruction[] Decode(ReadOnlySpan<byte> bytecode)
    {
        if (bytecode.Length % Instruction.SlotSize != 0)
            throw new BpfAsmException(
                $"bytecode length {bytecode.Length} is not a multiple of {Instruction.SlotSize}: the instruction at byte offset {bytecode.Length / Instruction.SlotSize * Instruction.SlotSize} is truncated.",
                bytecode.Length / Instruction.SlotSize * Instruction.SlotSize);

        // Count first so the result is allocated once, at exactly its size (at most one entry per 8 input bytes).
        int count = 0;
        for (int position = 0; position < bytecode.Length; count++)
            position += bytecode[position] == OpCode.LoadImm64.Value ? 2 * Instruction.SlotSize : Instruction.SlotSize;

        var instructions = new Instruction[count];
        int offset = 0;
        for (int i = 0; i < instructions.Length; i++)
        {
            instructions[i] = Decode(bytecode[offset..], offset, out int read);
            offset += read;
        }
        return instructions;
    }

    /// <summary>Decodes the instruction at the start of <paramref name="bytes"/>.</summary>
    /// <param name="bytes">The bytecode, starting at the instruction.</param>
    /// <param name="bytesRead">8, or 16 for <c>ld_imm64</c>.</param>
    /// <exception cref="BpfAsmException">The bytes are too short or the <c>ld_imm64</c> is malformed.</exception>
    public static Instruction DecodeOne(ReadOnlySpan<byte> bytes, out int bytesRead) => Decode(bytes, 0, out bytesRead);

    private static Instruction Decode(ReadOnlySpan<byte> bytes, long byteOffset, out int bytesRead)
    {
        if (bytes.Length < Instruction.SlotSize)
            throw new BpfAsmException($"the instruction at byte offset {byteOffset} is truncated: {bytes.Length} of {Instruction.SlotSize} bytes.", byteOffset);

        byte opCode = bytes[0];
        var dst = (Register)(bytes[1] & 0x0f);
        var src = (Register)(bytes[1] >> 4);
        short offset = BinaryPrimitives.ReadInt16LittleEndian(bytes[2..]);
        int imm = BinaryPrimitives.ReadInt32LittleEndian(bytes[4..]);

        if (opCode != OpCode.LoadImm64.Value)
        {
            bytesRead = Instruction.SlotSize;
            return new Instruction(new OpCode(opCode), dst, src, offset, imm);
        }

        if (bytes.Length < 2 * Instruction.SlotSize)
            throw new BpfAsmException($"the ld_imm64 at byte offset {byteOffset} is truncated: its second 8-byte slot is missing.", byteOffset);

        ReadOnlySpan<byte> second = bytes.Slice(Instruction.SlotSize, Instruction.SlotSize);
        if (second[0] != 0 || second[1] != 0 || second[2] != 0 || second[3] != 0)
            throw new BpfAsmException(
                $"the ld_imm64 at byte offset {byteOffset} has a malformed second slot at byte offset {byteOffset + Instruction.SlotSize}: its opcode, registers and offset must be zero.",
                byteOffset + Instruction.SlotSize);

        int high = BinaryPrimitives.ReadInt32LittleEndian(second[4..]);
        bytesRead = 2 * Instruction.SlotSize;
        return new Instruction(new OpCode(opCode), dst, src, offset, ((long)high << 32) | (uint)imm);
    }
}
