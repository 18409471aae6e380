using Xunit;
using BpfSharp.Asm;
using static BpfSharp.Asm.Register;

namespace BpfSharp.Object.Tests.Asm;

public class AssemblerTests
{
    [Fact]
    public void Forward_jump_over_a_ld_imm64_counts_it_as_two_slots()
    {
        var asm = new Assembler();
        asm.JumpIf(JumpOp.Equal, R1, 0, "out"); // slot 0
        asm.LoadImm64(R2, 1);                   // slots 1-2
        asm.Mov(R0, 1);                         // slot 3
        asm.Label("out");
        asm.Exit();                             // slot 4

        Instruction[] program = asm.Build();

        Assert.Equal(3, program[0].Offset);
        Assert.Equal("15 01 0300 00000000", Hex(program[0]));
        Assert.Equal("(15) if r1 == 0x0 goto pc+3", program[0].ToString());
        Assert.Equal("out", program[3].Symbol);
        Assert.Equal("out", program[0].Reference);
    }

    [Fact]
    public void Backward_jumps_are_negative()
    {
        var asm = new Assembler();
        asm.Label("top").Mov(R0, 0);            // slot 0
        asm.LoadImm64(R1, long.MaxValue);       // slots 1-2
        asm.JumpIf32(JumpOp.Less, R0, R1, "top"); // slot 3
        asm.Ja("top");                          // slot 4
        asm.Gotol("top");                       // slot 5

        Instruction[] program = asm.Build();

        Assert.Equal(-4, program[2].Offset);
        Assert.Equal(-5, program[3].Offset);
        Assert.Equal(-6, program[4].Immediate);
        Assert.Equal(0, program[4].Offset);
        Assert.Equal("(06) gotol pc-6", program[4].ToString());
    }

    [Fact]
    public void A_jump_to_the_next_instruction_has_offset_zero()
    {
        var asm = new Assembler();
        asm.Ja("next").Label("next").Exit();

        Assert.Equal(0, asm.Build()[0].Offset);
    }

    [Fact]
    public void Subprogram_calls_and_function_addresses_are_relative_to_the_next_slot()
    {
        var asm = new Assembler();
        asm.LoadFunction(R2, "callback"); // slots 0-1
        asm.CallSubprogram("callback");   // slot 2
        asm.Exit();                       // slot 3
        asm.Label("callback").Mov(R0, 0); // slot 4
        asm.Exit();

        Instruction[] program = asm.Build();

        Assert.Equal(3, program[0].Constant);  // 4 - (0 + 1)
        Assert.Equal(1, program[1].Immediate); // 4 - (2 + 1)
    }

    [Fact]
    public void A_backward_function_address_keeps_the_second_slot_zero()
    {
        var asm = new Assembler();
        asm.Label("callback").Mov(R0, 0); // slot 0
        asm.Exit();                       // slot 1
        asm.LoadFunction(R2, "callback"); // slots 2-3: 0 - (2 + 1) = -3

        Instruction[] program = asm.Build();

        Assert.Equal(-3, program[2].Immediate);
        Assert.Equal("18 42 0000 fdffffff  00 00 0000 00000000", Hex(program[2]));
    }

    [Fact]
    public void Map_references_are_left_for_relocation()
    {
        var asm = new Assembler();
        asm.LoadMapByName(R1, "counts");
        asm.LoadMapValueByName(R2, ".data", 16);
        asm.CallKfunc("bpf_rcu_read_lock");
        asm.Exit();

        Instruction[] program = asm.Build();

        Assert.Equal("counts", program[0].Reference);
        Assert.Equal(LoadImm64Source.MapFd, program[0].LoadImm64Source);
        Assert.Equal(0, program[0].Constant);
        Assert.Equal(".data", program[1].Reference);
        Assert.Equal(16, program[1].MapValueOffset);
        Assert.Equal("18 22 0000 00000000  00 00 0000 10000000", Hex(program[1]));
        Assert.True(program[2].IsKfuncCall);
        Assert.Equal("bpf_rcu_read_lock", program[2].Reference);
    }

    [Fact]
    public void An_unknown_label_is_named_in_the_error()
    {
        var asm = new Assembler();
        asm.JumpIf(JumpOp.NotEqual, R1, R2, "nowhere").Exit();

        var error = Assert.Throws<BpfAsmException>(() => asm.Build());

        Assert.Contains("'nowhere'", error.Message);
        Assert.Contains("instruction 0", error.Message);
    }

    [Fact]
    public void An_unknown_subprogram_is_named_in_the_error()
    {
        var asm = new Assembler();
        asm.CallSubprogram("missing_fn").Exit();

        Assert.Contains("'missing_fn'", Assert.Throws<BpfAsmException>(() => asm.Build()).Message);
    }

    [Fact]
    public void A_duplicate_label_is_named_in_the_error()
    {
        var asm = new Assembler();
        asm.Label("again").Exit();

        var error = Assert.Throws<BpfAsmException>(() => asm.Label("again"));

        Assert.Contains("'again'", error.Message);
    }

    [Fact]
    public void A_label_at_the_end_is_an_error()
    {
        var asm = new Assembler();
        asm.Exit().Label("end");

        Assert.Contains("'end'", Assert.Throws<BpfAsmException>(() => asm.Build()).Message);
    }

    [Fact]
    public void Two_labels_may_mark_one_instruction()
    {
        var asm = new Assembler();
        asm.Ja("b").Ja("a").Label("a").Label("b").Exit();

        Instruction[] program = asm.Build();

        Assert.Equal(1, program[0].Offset);
        Assert.Equal(0, program[1].Offset);
    }

    [Fact]
    public void A_jump_beyond_16_bits_is_rejected_but_gotol_reaches()
    {
        var far = new Assembler();
        far.Ja("end");
        for (int i = 0; i < 40_000; i++)
            far.Mov(R0, i);
        far.Label("end").Exit();
        Assert.Contains("gotol", Assert.Throws<BpfAsmException>(() => far.Build()).Message);

        var asm = new Assembler();
        asm.Gotol("end");
        for (int i = 0; i < 40_000; i++)
            asm.Mov(R0, i);
        asm.Label("end").Exit();
        Assert.Equal(40_000, asm.Build()[0].Immediate);
    }

    [Fact]
    public void Source_locations_attach_to_emitted_instructions()
    {
        var location = new SourceLocation("Probe.cs", 12, 9, "return 0;");
        var asm = new Assembler();
        asm.At(location).Mov(R0, 0).At(null).Exit();

        Instruction[] program = asm.Build();

        Assert.Same(location, program[0].Source);
        Assert.Null(program[1].Metadata);
    }

    [Fact]
    public void Every_assembler_method_emits_what_the_factory_builds()
    {
        var asm = new Assembler();
        asm.Alu(AluOp.Lsh, R1, 3).Alu(AluOp.Sub, R1, R2).Alu32(AluOp.Or, R1, 3).Alu32(AluOp.Xor, R1, R2)
           .Mov(R1, R2).Mov(R1, 1).Mov32(R1, R2).Mov32(R1, 1).Add(R1, 1).Add(R1, R2).Neg(R1).Neg32(R1)
           .SignedDiv(R1, R2).SignedDiv(R1, 2).SignedDiv32(R1, R2).SignedDiv32(R1, 2)
           .SignedMod(R1, R2).SignedMod(R1, 2).SignedMod32(R1, R2).SignedMod32(R1, 2)
           .MovSignExtend(R1, R2, 32).MovSignExtend32(R1, R2, 16).ToLittleEndian(R1, 32).ToBigEndian(R1, 64).ByteSwap(R1, 16)
           .Load(MemorySize.Half, R1, R2, 4).LoadSignExtend(MemorySize.Byte, R1, R2, 4)
           .Store(MemorySize.Byte, R1, 4, R2).StoreImmediate(MemorySize.DoubleWord, R1, 4, 9)
           .Atomic(AtomicOp.Exchange, MemorySize.Word, R1, 0, R2).LoadAcquire(MemorySize.Word, R1, R2, 0).StoreRelease(MemorySize.Word, R1, 0, R2)
           .LoadAbsolute(MemorySize.Half, 12).LoadIndirect(MemorySize.Word, R3, 4)
           .LoadImm64(R1, 5).LoadMapFd(R1, 3).LoadMapValue(R1, 3, 4).LoadBtfId(R1, 9)
           .Call(5).CallKfunc(100, 2).MayGoto("x").Label("x").Exit();

        Instruction[] expected =
        [
            Instruction.Alu(AluOp.Lsh, R1, 3), Instruction.Alu(AluOp.Sub, R1, R2), Instruction.Alu32(AluOp.Or, R1, 3), Instruction.Alu32(AluOp.Xor, R1, R2),
            Instruction.Mov(R1, R2), Instruction.Mov(R1, 1), Instruction.Mov32(R1, R2), Instruction.Mov32(R1, 1),
            Instruction.Alu(AluOp.Add, R1, 1), Instruction.Alu(AluOp.Add, R1, R2), Instruction.Neg(R1), Instruction.Neg32(R1),
            Instruction.SignedDiv(R1, R2), Instruction.SignedDiv(R1, 2), Instruction.SignedDiv32(R1, R2), Instruction.SignedDiv32(R1, 2),
            Instruction.SignedMod(R1, R2), Instruction.SignedMod(R1, 2), Instruction.SignedMod32(R1, R2), Instruction.SignedMod32(R1, 2),
            Instruction.MovSignExtend(R1, R2, 32), Instruction.MovSignExtend32(R1, R2, 16), Instruction.ToLittleEndian(R1, 32), Instruction.ToBigEndian(R1, 64), Instruction.ByteSwap(R1, 16),
            Instruction.Load(MemorySize.Half, R1, R2, 4), Instruction.LoadSignExtend(MemorySize.Byte, R1, R2, 4),
            Instruction.Store(MemorySize.Byte, R1, 4, R2), Instruction.StoreImmediate(MemorySize.DoubleWord, R1, 4, 9),
            Instruction.Atomic(AtomicOp.Exchange, MemorySize.Word, R1, 0, R2), Instruction.LoadAcquire(MemorySize.Word, R1, R2, 0), Instruction.StoreRelease(MemorySize.Word, R1, 0, R2),
            Instruction.LoadAbsolute(MemorySize.Half, 12), Instruction.LoadIndirect(MemorySize.Word, R3, 4),
            Instruction.LoadImm64(R1, 5), Instruction.LoadMapFd(R1, 3), Instruction.LoadMapValue(R1, 3, 4), Instruction.LoadBtfId(R1, 9),
            Instruction.Call(5), Instruction.CallKfunc(100, 2), Instruction.MayGoto(0), Instruction.Exit(),
        ];
        Assert.Equal(InstructionEncoder.Encode(expected), InstructionEncoder.Encode(asm.Build()));
    }

    [Fact]
    public void The_sample_from_the_brief_builds()
    {
        var asm = new Assembler();
        asm.Mov(R0, 0);
        asm.JumpIf(JumpOp.Equal, R0, 0, "out");
        asm.Label("out");
        asm.Exit();

        Assert.Equal(
            "0: (b7) r0 = 0\n1: (15) if r0 == 0x0 goto pc+0\n2: (95) exit\n",
            Disassembler.FormatProgram(asm.Build()));
    }

    private static string Hex(Instruction instruction)
    {
        string hex = Convert.ToHexStringLower(InstructionEncoder.Encode([instruction]));
        string Slot(string s) => $"{s[..2]} {s[2..4]} {s[4..8]} {s[8..16]}";
        return hex.Length == 16 ? Slot(hex) : Slot(hex[..16]) + "  " + Slot(hex[16..]);
    }
}
