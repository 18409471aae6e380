using Xunit;
using BpfSharp.Asm;
using static BpfSharp.Asm.Register;

namespace BpfSharp.Object.Tests.Asm;

public class DisassemblerTests
{
    [Theory]
    [MemberData(nameof(InstructionForms.Names), MemberType = typeof(InstructionForms))]
    public void Formats_like_the_verifier_log(string name)
    {
        InstructionForms.Form form = InstructionForms.Get(name);

        Assert.Equal(form.Text, Disassembler.Format(form.Instruction));
    }

    [Fact]
    public void Decoded_bytes_format_the_same_as_built_instructions()
    {
        foreach (InstructionForms.Form form in InstructionForms.All)
        {
            Instruction decoded = InstructionDecoder.Decode(InstructionForms.Bytes(form.Hex))[0];
            Assert.Equal(form.Text, decoded.ToString());
        }
    }

    [Fact]
    public void Helper_names_come_from_the_lookup()
    {
        var options = new DisassemblyOptions { HelperName = id => id == 1 ? "bpf_map_lookup_elem" : null };

        Assert.Equal("(85) call bpf_map_lookup_elem#1", Disassembler.Format(Instruction.Call(1), options));
        Assert.Equal("(85) call unknown#9999", Disassembler.Format(Instruction.Call(9999), options));
    }

    [Fact]
    public void Call_name_lookup_names_kfuncs_and_subprograms()
    {
        var options = new DisassemblyOptions { CallName = insn => insn.IsKfuncCall ? "bpf_dynptr_slice" : insn.IsBpfCall ? "+5 (sub)" : null };

        Assert.Equal("(85) call bpf_dynptr_slice#77", Disassembler.Format(Instruction.CallKfunc(77), options));
        Assert.Equal("(85) call pc+5 (sub)", Disassembler.Format(Instruction.CallSubprogram(5), options));
        Assert.Equal("(85) call unknown#3", Disassembler.Format(Instruction.Call(3), options));
    }

    [Fact]
    public void Pointer_immediates_can_be_hidden_like_for_unprivileged_users()
    {
        var options = new DisassemblyOptions { HidePointers = true };

        Assert.Equal("(18) r1 = 0x0", Disassembler.Format(Instruction.LoadMapFd(R1, 5), options));
        Assert.Equal("(18) r1 = 0x0", Disassembler.Format(Instruction.LoadMapValue(R1, 5, 8), options));
        Assert.Equal("(18) r1 = 0x7", Disassembler.Format(Instruction.LoadImm64(R1, 7), options));
    }

    [Fact]
    public void Immediate_formatter_replaces_the_hex_value()
    {
        var options = new DisassemblyOptions { FormatImmediate = (insn, value) => insn.LoadImm64Source == LoadImm64Source.MapFd ? $"map[id:{value}]" : $"0x{value:x}" };

        Assert.Equal("(18) r1 = map[id:3]", Disassembler.Format(Instruction.LoadMapFd(R1, 3), options));
    }

    [Theory]
    [InlineData("00 00 0000 00000000", "BUG_ld_00")]      // BPF_LD | BPF_IMM | BPF_W is not ld_imm64
    [InlineData("21 00 0000 00000000", "BUG_ldx_21")]     // LDX with BPF_ABS mode
    [InlineData("83 21 0000 00000000", "BUG_83")]         // STX with BPF_MEMSX mode
    [InlineData("db 21 0000 10000000", "BUG_db")]         // atomic with an unknown operation (0x10)
    [InlineData("22 00 0000 00000000", "BUG_st_22")]      // ST with BPF_ABS mode
    [InlineData("c2 00 0000 00000000", "(c2) nospec")]    // the kernel-internal speculation barrier
    [InlineData("e7 01 0000 01000000", "(e7) r1 (null) 1")] // ALU op 0xe has no name
    [InlineData("bf 21 0100 00000000", "(bf) r1 = addr_space_cast(r2, 0, 0)")]
    [InlineData("bf 21 0100 01000100", "(bf) r1 = addr_space_cast(r2, 1, 1)")]
    [InlineData("96 00 0000 00000000", "(96) if w0 exit 0x0 goto pc+0")] // JMP32 | EXIT is not exit
    [InlineData("b7 01 0800 05000000", "(b7) r1 = 5")]    // offset only means movsx in the register form
    public void Odd_encodings_print_what_the_kernel_prints(string hex, string expected)
    {
        Instruction instruction = InstructionDecoder.Decode(InstructionForms.Bytes(hex))[0];

        Assert.Equal(expected, Disassembler.Format(instruction));
    }

    [Fact]
    public void A_program_is_numbered_by_slot()
    {
        Instruction[] program =
        [
            Instruction.Mov(R0, 0),
            Instruction.LoadMapFd(R1, 4),
            Instruction.Call(1),
            Instruction.Exit(),
        ];

        string text = Disassembler.FormatProgram(program, new DisassemblyOptions { HelperName = id => id == 1 ? "bpf_map_lookup_elem" : null });

        Assert.Equal(
            "0: (b7) r0 = 0\n" +
            "1: (18) r1 = 0x4\n" +
            "3: (85) call bpf_map_lookup_elem#1\n" +
            "4: (95) exit\n",
            text);
    }
}
