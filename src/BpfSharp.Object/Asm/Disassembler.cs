using System.Globalization;
using System.Text;

namespace BpfSharp.Asm;

/// <summary>Formats instructions in the syntax of the kernel verifier log (<c>kernel/bpf/disasm.c</c>).</summary>
public static class Disassembler
{
    // Indexed by op >> 4. Holes are printed as "(null)", which is what the kernel's printf does with them.
    private static readonly string?[] AluOperators =
        ["+=", "-=", "*=", "/=", "|=", "&=", "<<=", ">>=", "neg", "%=", "^=", "=", "s>>=", "endian", null, null];

    private static readonly string?[] JumpOperators =
        ["jmp", "==", ">", ">=", "&", "!=", "s>", "s>=", "call", "exit", "<", "<=", "s<", "s<=", null, null];

    // Indexed by size >> 3: W, H, B, DW.
    private static readonly string[] UnsignedTypes = ["u32", "u16", "u8", "u64"];
    private static readonly string?[] SignedTypes = ["s32", "s16", "s8", null];

    private const byte NoSpecMode = 0xc0;
    private const short AddressSpaceCastOffset = 1;

    /// <summary>Formats one instruction, e.g. <c>(b7) r0 = 0</c>.</summary>
    public static string Format(in Instruction instruction, DisassemblyOptions? options = null)
    {
        options ??= DisassemblyOptions.Default;
        return instruction.Class switch
        {
            InstructionClass.Alu or InstructionClass.Alu64 => FormatAlu(instruction),
            InstructionClass.Stx => FormatStx(instruction),
            InstructionClass.St => FormatSt(instruction),
            InstructionClass.Ldx => FormatLdx(instruction),
            InstructionClass.Ld => FormatLd(instruction, options),
            _ => FormatJump(instruction, options),
        };
    }

    /// <summary>Formats a program one instruction per line, each prefixed with its slot position like the verifier log (<c>0: (b7) r0 = 0</c>).</summary>
    public static string FormatProgram(ReadOnlySpan<Instruction> instructions, DisassemblyOptions? options = null)
    {
        var text = new StringBuilder();
        int slot = 0;
        foreach (ref readonly Instruction instruction in instructions)
        {
            text.Append(slot.ToString(CultureInfo.InvariantCulture)).Append(": ").Append(Format(instruction, options)).Append('\n');
            slot += instruction.Width;
        }
        return text.ToString();
    }

    private static string FormatAlu(in Instruction insn)
    {
        string code = Code(insn);
        int dst = (int)insn.Dst, src = (int)insn.Src;
        char r = insn.Class == InstructionClass.Alu ? 'w' : 'r';
        AluOp op = insn.OpCode.AluOp;

        if (op == AluOp.End)
        {
            // Both byte-swap forms print 64-bit register names, even in the ALU class.
            if (insn.Class == InstructionClass.Alu64)
                return Invariant($"{code} r{dst} = bswap{insn.Immediate} r{dst}");
            string order = insn.OpCode.Source == OperandSource.Register ? "be" : "le";
            return Invariant($"{code} r{dst} = {order}{insn.Immediate} r{dst}");
        }
        if (op == AluOp.Neg)
            return Invariant($"{code} {r}{dst} = -{r}{dst}");
        if (insn.OpCode.Value == OpCode.Alu(InstructionClass.Alu64, AluOp.Mov, OperandSource.Register).Value
            && insn.Offset == AddressSpaceCastOffset)
            return Invariant($"{code} r{dst} = addr_space_cast(r{src}, {(uint)insn.Immediate >> 16}, {(ushort)insn.Immediate})");

        bool signed = op is AluOp.Div or AluOp.Mod && insn.Offset == 1;
        string symbol = signed ? (op == AluOp.Div ? "s/=" : "s%=") : AluOperators[(int)op >> 4] ?? "(null)";
        if (insn.OpCode.Source == OperandSource.Register)
        {
            string cast = op == AluOp.Mov ? insn.Offset switch { 8 => "(s8)", 16 => "(s16)", 32 => "(s32)", _ => "" } : "";
            return Invariant($"{code} {r}{dst} {symbol} {cast}{r}{src}");
        }
        return Invariant($"{code} {r}{dst} {symbol} {insn.Immediate}");
    }

    private static string FormatStx(in Instruction insn)
    {
        string code = Code(insn);
        int dst = (int)insn.Dst, src = (int)insn.Src;
        string type = UnsignedTypes[(int)insn.OpCode.Size >> 3];
        string off = Signed(insn.Offset);

        if (insn.OpCode.Mode == AddressingMode.Memory)
            return Invariant($"{code} *({type} *)(r{dst} {off}) = r{src}");
        if (insn.OpCode.Mode != AddressingMode.Atomic)
            return $"BUG_{code[1..3]}";

        string bits = insn.OpCode.Size == MemorySize.DoubleWord ? "64" : "";
        switch ((AtomicOp)insn.Immediate)
        {
            case AtomicOp.Add or AtomicOp.And or AtomicOp.Or or AtomicOp.Xor:
                return Invariant($"{code} lock *({type} *)(r{dst} {off}) {AluOperators[(insn.Immediate & 0xf0) >> 4]} r{src}");
            case AtomicOp.FetchAdd or AtomicOp.FetchAnd or AtomicOp.FetchOr or AtomicOp.FetchXor:
                string name = (AtomicOp)(insn.Immediate & 0xf0) switch
                {
                    AtomicOp.Add => "add",
                    AtomicOp.And => "and",
                    AtomicOp.Or => "or",
                    _ => "xor",
                };
                return Invariant($"{code} r{src} = atomic{bits}_fetch_{name}(({type} *)(r{dst} {off}), r{src})");
            case AtomicOp.CompareExchange:
                return Invariant($"{code} r0 = atomic{bits}_cmpxchg(({type} *)(r{dst} {off}), r0, r{src})");
            case AtomicOp.Exchange:
                return Invariant($"{code} r{src} = atomic{bits}_xchg(({type} *)(r{dst} {off}), r{src})");
            case AtomicOp.LoadAcquire:
                return Invariant($"{code} r{dst} = load_acquire(({type} *)(r{src} {off}))");
            case AtomicOp.StoreRelease:
                return Invariant($"{code} store_release(({type} *)(r{dst} {off}), r{src})");
            default:
                return $"BUG_{code[1..3]}";
        }
    }

    private static string FormatSt(in Instruction insn)
    {
        string code = Code(insn);
        if (insn.OpCode.Mode == AddressingMode.Memory)
            return Invariant($"{code} *({UnsignedTypes[(int)insn.OpCode.Size >> 3]} *)(r{(int)insn.Dst} {Signed(insn.Offset)}) = {insn.Immediate}");
        if ((byte)insn.OpCode.Mode == NoSpecMode)
            return $"{code} nospec";
        return $"BUG_st_{code[1..3]}";
    }

    private static string FormatLdx(in Instruction insn)
    {
        string code = Code(insn);
        string? type = insn.OpCode.Mode switch
        {
            AddressingMode.Memory => UnsignedTypes[(int)insn.OpCode.Size >> 3],
            AddressingMode.MemorySignExtend => SignedTypes[(int)insn.OpCode.Size >> 3] ?? "(null)",
            _ => null,
        };
        if (type is null)
            return $"BUG_ldx_{code[1..3]}";
        return Invariant($"{code} r{(int)insn.Dst} = *({type} *)(r{(int)insn.Src} {Signed(insn.Offset)})");
    }

    private static string FormatLd(in Instruction insn, DisassemblyOptions options)
    {
        string code = Code(insn);
        string type = UnsignedTypes[(int)insn.OpCode.Size >> 3];
        switch (insn.OpCode.Mode)
        {
            case AddressingMode.Absolute:
                return Invariant($"{code} r0 = *({type} *)skb[{insn.Immediate}]");
            case AddressingMode.Indirect:
                return Invariant($"{code} r0 = *({type} *)skb[r{(int)insn.Src} + {insn.Immediate}]");
            case AddressingMode.Immediate when insn.OpCode.Size == MemorySize.DoubleWord:
                ulong value = (ulong)insn.Constant;
                if (options.HidePointers && insn.LoadImm64Source is LoadImm64Source.MapFd or LoadImm64Source.MapValue)
                    value = 0;
                string text = options.FormatImmediate?.Invoke(insn, value) ?? Invariant($"0x{value:x}");
                return Invariant($"{code} r{(int)insn.Dst} = {text}");
            default:
                return $"BUG_ld_{code[1..3]}";
        }
    }

    private static string FormatJump(in Instruction insn, DisassemblyOptions options)
    {
        string code = Code(insn);
        int dst = (int)insn.Dst, src = (int)insn.Src;
        byte opCode = insn.OpCode.Value;
        JumpOp op = insn.OpCode.JumpOp;

        if (op == JumpOp.Call)
        {
            if (insn.CallKind == CallKind.Subprogram)
                return $"{code} call pc{options.CallName?.Invoke(insn) ?? Signed(insn.Immediate)}";
            return Invariant($"{code} call {CallTargetName(insn, options)}#{insn.Immediate}");
        }
        if (opCode == Instruction.Ja(0).OpCode.Value)
            return $"{code} goto pc{Signed(insn.Offset)}";
        if (opCode == Instruction.MayGoto(0).OpCode.Value && insn.Src == Register.R0)
            return $"{code} may_goto pc{Signed(insn.Offset)}";
        if (insn.IsLongJump)
            return $"{code} gotol pc{Signed(insn.Immediate)}";
        if (insn.IsExit)
            return $"{code} exit";

        char r = insn.Class == InstructionClass.Jmp32 ? 'w' : 'r';
        string symbol = JumpOperators[(int)op >> 4] ?? "(null)";
        if (insn.OpCode.Source == OperandSource.Register)
            return Invariant($"{code} if {r}{dst} {symbol} {r}{src} goto pc{Signed(insn.Offset)}");
        return Invariant($"{code} if {r}{dst} {symbol} 0x{(uint)insn.Immediate:x} goto pc{Signed(insn.Offset)}");
    }

    private static string CallTargetName(in Instruction insn, DisassemblyOptions options)
    {
        if (insn.CallKind == CallKind.Helper && insn.Immediate >= 0 && options.HelperName?.Invoke(insn.Immediate) is { } helper)
            return helper;
        if (options.CallName?.Invoke(insn) is { } name)
            return name;
        return insn.CallKind == CallKind.Kfunc ? "kernel-function" : "unknown";
    }

    private static string Code(in Instruction insn) => $"({insn.OpCode.Value:x2})";

    /// <summary>printf's <c>%+d</c>.</summary>
    private static string Signed(int value) =>
        value >= 0 ? "+" + value.ToString(CultureInfo.InvariantCulture) : value.ToString(CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
