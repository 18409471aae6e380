using System.Globalization;
using BpfSharp.Asm;

namespace BpfSharp.Btf.Core;

/// <summary>
/// Writes a resolved CO-RE relocation into its instruction (libbpf's <c>bpf_core_patch_insn</c>): ALU immediates,
/// load/store offsets (resizing the access when the field's size changed and that is safe) and <c>ld_imm64</c>
/// constants, after checking the instruction holds the value computed from local BTF.
/// </summary>
internal static class CoreInstructionPatcher
{
    /// <exception cref="CoreError">The instruction does not have the form or value the relocation expects.</exception>
    public static CoreRelocationAction Patch(List<Instruction> instructions, int index, CoreRelocationValues values)
    {
        Instruction insn = instructions[index];
        if (values.Poison)
            return Poison(instructions, index);

        ulong expected = values.OriginalValue, value = values.NewValue;
        switch (insn.Class)
        {
            case InstructionClass.Alu or InstructionClass.Alu64:
                if (insn.OpCode.Source != OperandSource.Immediate)
                    throw new CoreError($"insn #{index} (ALU/ALU64) takes a register operand, so there is no immediate to relocate");
                if (values.Validate && unchecked((ulong)(long)insn.Immediate) != expected)
                    throw Unexpected("ALU/ALU64", insn.Immediate.ToString(CultureInfo.InvariantCulture), expected, value);
                instructions[index] = insn with { Constant = unchecked((int)value) };
                return CoreRelocationAction.Patched;

            case InstructionClass.Ldx or InstructionClass.St or InstructionClass.Stx:
            {
                if (values.Validate && unchecked((ulong)(long)insn.Offset) != expected)
                    throw Unexpected("LDX/ST/STX", insn.Offset.ToString(CultureInfo.InvariantCulture), expected, value);
                if (value > (ulong)short.MaxValue)
                    throw new CoreError($"insn (LDX/ST/STX) value too big: {value} does not fit the 16-bit offset");
                if (values.FailMemorySizeAdjust)
                    return Poison(instructions, index);

                OpCode code = insn.OpCode;
                if (values.NewSize != values.OriginalSize)
                {
                    int bytes = Bytes(code.Size);
                    if (bytes != values.OriginalSize)
                        throw new CoreError($"insn (LDX/ST/STX) unexpected mem size: got {bytes}, exp {values.OriginalSize}");
                    MemorySize size = values.NewSize switch
                    {
                        8 => MemorySize.DoubleWord,
                        4 => MemorySize.Word,
                        2 => MemorySize.Half,
                        1 => MemorySize.Byte,
                        _ => throw new CoreError($"insn (LDX/ST/STX) invalid new mem size: {values.NewSize} bytes is no load or store width"),
                    };
                    code = OpCode.Memory(code.Class, code.Mode, size);
                }
                instructions[index] = insn with { OpCode = code, Offset = (short)value };
                return CoreRelocationAction.Patched;
            }

            case InstructionClass.Ld:
                if (!insn.IsLoadImm64 || insn.Src != Register.R0 || insn.Offset != 0)
                    throw new CoreError("insn (LDIMM64) has unexpected form: only a plain 64-bit constant load can be relocated");
                if (values.Validate && unchecked((ulong)insn.Constant) != expected)
                    throw Unexpected("LDIMM64", unchecked((ulong)insn.Constant).ToString(CultureInfo.InvariantCulture), expected, value);
                instructions[index] = insn with { Constant = unchecked((long)value) };
                return CoreRelocationAction.Patched;

            default:
                throw new CoreError(string.Create(CultureInfo.InvariantCulture,
                    $"trying to relocate unrecognized insn, code:0x{insn.OpCode.Value:x}, src:0x{(byte)insn.Src:x}, dst:0x{(byte)insn.Dst:x}, off:0x{(ushort)insn.Offset:x}, imm:0x{insn.Immediate:x}"));
        }
    }

    /// <summary>Replaces the instruction with the poison call; a <c>ld_imm64</c> becomes two, so the slot count is unchanged.</summary>
    static CoreRelocationAction Poison(List<Instruction> instructions, int index)
    {
        Instruction insn = instructions[index];
        instructions[index] = CorePoison.Instruction(insn.Metadata);
        if (insn.IsLoadImm64)
            instructions.Insert(index + 1, CorePoison.Instruction());
        return CoreRelocationAction.Poisoned;
    }

    static CoreError Unexpected(string form, string got, ulong expected, ulong value) => new(string.Create(CultureInfo.InvariantCulture,
        $"unexpected insn ({form}) value: got {got}, exp {expected} -> {value}; the instruction does not hold what the local BTF says the compiler put there (the .BTF.ext record or the BTF does not belong to this code)"));

    static int Bytes(MemorySize size) => size switch
    {
        MemorySize.DoubleWord => 8,
        MemorySize.Word => 4,
        MemorySize.Half => 2,
        _ => 1,
    };
}
