using Xunit;
using BpfSharp.Asm;

namespace BpfSharp.Object.Tests.Asm;

public class DecodingErrorTests
{
    [Theory]
    [InlineData(7, 0)]
    [InlineData(12, 8)]
    [InlineData(17, 16)]
    public void A_length_that_is_not_a_whole_number_of_slots_names_the_truncated_offset(int length, long offset)
    {
        var bytes = new byte[length];
        for (int i = 0; i < length; i += 8)
            bytes[i] = 0x95;

        var error = Assert.Throws<BpfAsmException>(() => InstructionDecoder.Decode(bytes));

        Assert.Equal(offset, error.ByteOffset);
        Assert.Contains($"byte offset {offset}", error.Message);
    }

    [Fact]
    public void A_ld_imm64_in_the_last_slot_is_truncated()
    {
        byte[] bytes = InstructionForms.Bytes("b7 00 0000 00000000  18 01 0000 05000000");

        var error = Assert.Throws<BpfAsmException>(() => InstructionDecoder.Decode(bytes));

        Assert.Equal(8, error.ByteOffset);
        Assert.Contains("ld_imm64", error.Message);
        Assert.Contains("byte offset 8", error.Message);
    }

    [Theory]
    [InlineData("18 01 0000 05000000  95 00 0000 00000000")]
    [InlineData("18 01 0000 05000000  00 01 0000 00000000")]
    [InlineData("18 01 0000 05000000  00 00 0100 00000000")]
    public void A_ld_imm64_second_slot_with_non_zero_fields_is_rejected(string hex)
    {
        var error = Assert.Throws<BpfAsmException>(() => InstructionDecoder.Decode(InstructionForms.Bytes(hex)));

        Assert.Equal(8, error.ByteOffset);
    }

    [Fact]
    public void DecodeOne_on_a_short_span_throws_the_format_exception()
    {
        Assert.Throws<BpfAsmException>(() => InstructionDecoder.DecodeOne(new byte[5], out _));
        Assert.Throws<BpfAsmException>(() => InstructionDecoder.DecodeOne(InstructionForms.Bytes("18 01 0000 05000000"), out _));
    }

    [Fact]
    public void Empty_input_is_an_empty_program()
    {
        Assert.Empty(InstructionDecoder.Decode([]));
    }

    [Fact]
    public void Random_bytes_decode_to_instructions_or_a_BpfAsmException_only()
    {
        var random = new Random(20240611);
        int decoded = 0, rejected = 0;
        for (int round = 0; round < 5000; round++)
        {
            // Mostly whole slots, and plenty of ld_imm64 opcodes with zeroed second slots, so both paths are exercised.
            int length = random.Next(0, 8) == 0 ? random.Next(0, 200) : random.Next(0, 25) * 8;
            var bytes = new byte[length];
            random.NextBytes(bytes);
            for (int i = 0; i + 16 <= length; i += 8)
            {
                if (random.Next(4) == 0)
                {
                    bytes[i] = 0x18;
                    if (random.Next(3) != 0)
                        bytes.AsSpan(i + 8, 4).Clear();
                }
            }

            Instruction[] program;
            try
            {
                program = InstructionDecoder.Decode(bytes);
            }
            catch (BpfAsmException)
            {
                rejected++;
                continue;
            }

            decoded++;
            Assert.Equal(bytes, InstructionEncoder.Encode(program));
            Assert.Equal(length / 8, InstructionList.SlotCount(program));
            Assert.NotNull(Disassembler.FormatProgram(program));
        }

        Assert.True(decoded > 500, $"only {decoded} inputs decoded");
        Assert.True(rejected > 500, $"only {rejected} inputs rejected");
    }
}
