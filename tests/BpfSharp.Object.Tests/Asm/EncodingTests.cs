using Xunit;
using BpfSharp.Asm;

namespace BpfSharp.Object.Tests.Asm;

public class EncodingTests
{
    [Theory]
    [MemberData(nameof(InstructionForms.Names), MemberType = typeof(InstructionForms))]
    public void Encodes_to_the_documented_bytes(string name)
    {
        InstructionForms.Form form = InstructionForms.Get(name);
        byte[] expected = InstructionForms.Bytes(form.Hex);

        byte[] actual = InstructionEncoder.Encode([form.Instruction]);

        Assert.Equal(Convert.ToHexStringLower(expected), Convert.ToHexStringLower(actual));
        Assert.Equal(expected.Length / 8, form.Instruction.Width);
    }

    [Theory]
    [MemberData(nameof(InstructionForms.Names), MemberType = typeof(InstructionForms))]
    public void Decodes_the_documented_bytes(string name)
    {
        InstructionForms.Form form = InstructionForms.Get(name);

        Instruction[] decoded = InstructionDecoder.Decode(InstructionForms.Bytes(form.Hex));

        Assert.Equal([form.Instruction.WithMetadata(null)], decoded);
    }

    [Fact]
    public void Form_names_are_unique()
    {
        var names = new HashSet<string>();
        foreach (InstructionForms.Form form in InstructionForms.All)
            Assert.True(names.Add(form.Name), form.Name);
    }

    [Fact]
    public void A_whole_program_round_trips_byte_for_byte()
    {
        Instruction[] program = [.. InstructionForms.All.Select(f => f.Instruction.WithMetadata(null))];

        byte[] bytes = InstructionEncoder.Encode(program);
        Instruction[] decoded = InstructionDecoder.Decode(bytes);

        Assert.Equal(program, decoded);
        Assert.Equal(bytes, InstructionEncoder.Encode(decoded));
        Assert.Equal(InstructionList.SlotCount(program) * 8, bytes.Length);
    }

    [Fact]
    public void Metadata_is_not_encoded()
    {
        Instruction plain = Instruction.Jump(JumpOp.Equal, Register.R1, 0, 2);
        Instruction annotated = plain.WithSymbol("entry").WithReference("out").WithSource(new SourceLocation("a.cs", 3, 5, "if (x == 0)"));

        Assert.Equal(InstructionEncoder.Encode([plain]), InstructionEncoder.Encode([annotated]));
        Assert.NotEqual(plain, annotated);
    }

    [Fact]
    public void Encode_into_a_span_reports_bytes_written_and_rejects_a_short_destination()
    {
        Instruction[] program = [Instruction.LoadImm64(Register.R1, 1), Instruction.Exit()];
        var buffer = new byte[32];

        Assert.Equal(24, InstructionEncoder.Encode(program, buffer));
        Assert.Throws<ArgumentException>(() => InstructionEncoder.Encode(program, new byte[16]));
    }

    [Fact]
    public void A_constant_wider_than_32_bits_outside_ld_imm64_is_rejected()
    {
        var wide = new Instruction(Instruction.Mov(Register.R0, 0).OpCode, Register.R0, Register.R0, 0, 1L << 32);

        var error = Assert.Throws<BpfAsmException>(() => InstructionEncoder.Encode([Instruction.Exit(), wide]));
        Assert.Contains("instruction 1", error.Message);
    }

    [Fact]
    public void A_register_number_wider_than_4_bits_is_rejected()
    {
        var bad = Instruction.Mov(Register.R0, 0) with { Dst = (Register)16 };

        Assert.Throws<BpfAsmException>(() => InstructionEncoder.Encode([bad]));
    }

    [Fact]
    public void Register_fields_11_to_15_are_kept_so_any_input_round_trips()
    {
        byte[] bytes = InstructionForms.Bytes("bf fb 0000 00000000");

        Instruction[] decoded = InstructionDecoder.Decode(bytes);

        Assert.Equal((Register)11, decoded[0].Dst);
        Assert.Equal((Register)15, decoded[0].Src);
        Assert.Equal(bytes, InstructionEncoder.Encode(decoded));
    }

    [Fact]
    public void DecodeOne_reads_one_instruction_and_reports_its_width()
    {
        byte[] bytes = InstructionForms.Bytes("18 01 0000 01000000  00 00 0000 02000000  95 00 0000 00000000");

        Instruction first = InstructionDecoder.DecodeOne(bytes, out int read);

        Assert.Equal(16, read);
        Assert.Equal(0x0000000200000001L, first.Constant);
        Assert.Equal(Instruction.Exit(), InstructionDecoder.DecodeOne(bytes.AsSpan(read), out read));
        Assert.Equal(8, read);
    }
}
