using Xunit;
using BpfSharp.Asm;
using static BpfSharp.Asm.Register;

namespace BpfSharp.Object.Tests.Asm;

/// <summary>
/// One row per instruction form: the instruction, its bytes written out by hand from the encoding in
/// Documentation/bpf/standardization/instruction-set.rst (opcode | regs as src&lt;&lt;4|dst | off LE16 | imm LE32),
/// and the verifier-log text derived from the format strings of kernel/bpf/disasm.c.
/// </summary>
public static class InstructionForms
{
    public sealed record Form(string Name, Instruction Instruction, string Hex, string Text)
    {
        public override string ToString() => Name;
    }

    public static readonly Form[] All =
    [
        // ALU64, immediate
        new("add64 k", Instruction.Alu(AluOp.Add, R2, -4), "07 02 0000 fcffffff", "(07) r2 += -4"),
        new("sub64 k", Instruction.Alu(AluOp.Sub, R1, 5), "17 01 0000 05000000", "(17) r1 -= 5"),
        new("mul64 k", Instruction.Alu(AluOp.Mul, R3, 3), "27 03 0000 03000000", "(27) r3 *= 3"),
        new("div64 k", Instruction.Alu(AluOp.Div, R3, 10), "37 03 0000 0a000000", "(37) r3 /= 10"),
        new("or64 k", Instruction.Alu(AluOp.Or, R4, 0x100), "47 04 0000 00010000", "(47) r4 |= 256"),
        new("and64 k", Instruction.Alu(AluOp.And, R5, 0xff), "57 05 0000 ff000000", "(57) r5 &= 255"),
        new("lsh64 k", Instruction.Alu(AluOp.Lsh, R6, 32), "67 06 0000 20000000", "(67) r6 <<= 32"),
        new("rsh64 k", Instruction.Alu(AluOp.Rsh, R7, 32), "77 07 0000 20000000", "(77) r7 >>= 32"),
        new("neg64", Instruction.Neg(R8), "87 08 0000 00000000", "(87) r8 = -r8"),
        new("mod64 k", Instruction.Alu(AluOp.Mod, R9, 7), "97 09 0000 07000000", "(97) r9 %= 7"),
        new("xor64 k", Instruction.Alu(AluOp.Xor, R0, -1), "a7 00 0000 ffffffff", "(a7) r0 ^= -1"),
        new("mov64 k", Instruction.Mov(R0, 0), "b7 00 0000 00000000", "(b7) r0 = 0"),
        new("arsh64 k", Instruction.Alu(AluOp.Arsh, R1, 63), "c7 01 0000 3f000000", "(c7) r1 s>>= 63"),

        // ALU64, register
        new("add64 x", Instruction.Alu(AluOp.Add, R1, R2), "0f 21 0000 00000000", "(0f) r1 += r2"),
        new("sub64 x", Instruction.Alu(AluOp.Sub, R1, R2), "1f 21 0000 00000000", "(1f) r1 -= r2"),
        new("mul64 x", Instruction.Alu(AluOp.Mul, R1, R2), "2f 21 0000 00000000", "(2f) r1 *= r2"),
        new("div64 x", Instruction.Alu(AluOp.Div, R1, R2), "3f 21 0000 00000000", "(3f) r1 /= r2"),
        new("or64 x", Instruction.Alu(AluOp.Or, R1, R2), "4f 21 0000 00000000", "(4f) r1 |= r2"),
        new("and64 x", Instruction.Alu(AluOp.And, R1, R2), "5f 21 0000 00000000", "(5f) r1 &= r2"),
        new("lsh64 x", Instruction.Alu(AluOp.Lsh, R1, R2), "6f 21 0000 00000000", "(6f) r1 <<= r2"),
        new("rsh64 x", Instruction.Alu(AluOp.Rsh, R1, R2), "7f 21 0000 00000000", "(7f) r1 >>= r2"),
        new("mod64 x", Instruction.Alu(AluOp.Mod, R1, R2), "9f 21 0000 00000000", "(9f) r1 %= r2"),
        new("xor64 x", Instruction.Alu(AluOp.Xor, R1, R2), "af 21 0000 00000000", "(af) r1 ^= r2"),
        new("mov64 x", Instruction.Mov(R2, R10), "bf a2 0000 00000000", "(bf) r2 = r10"),
        new("arsh64 x", Instruction.Alu(AluOp.Arsh, R1, R2), "cf 21 0000 00000000", "(cf) r1 s>>= r2"),

        // ALU (32-bit), immediate
        new("add32 k", Instruction.Alu32(AluOp.Add, R1, 5), "04 01 0000 05000000", "(04) w1 += 5"),
        new("sub32 k", Instruction.Alu32(AluOp.Sub, R1, 5), "14 01 0000 05000000", "(14) w1 -= 5"),
        new("mul32 k", Instruction.Alu32(AluOp.Mul, R1, 5), "24 01 0000 05000000", "(24) w1 *= 5"),
        new("div32 k", Instruction.Alu32(AluOp.Div, R1, 5), "34 01 0000 05000000", "(34) w1 /= 5"),
        new("or32 k", Instruction.Alu32(AluOp.Or, R1, 5), "44 01 0000 05000000", "(44) w1 |= 5"),
        new("and32 k", Instruction.Alu32(AluOp.And, R1, 5), "54 01 0000 05000000", "(54) w1 &= 5"),
        new("lsh32 k", Instruction.Alu32(AluOp.Lsh, R1, 5), "64 01 0000 05000000", "(64) w1 <<= 5"),
        new("rsh32 k", Instruction.Alu32(AluOp.Rsh, R1, 5), "74 01 0000 05000000", "(74) w1 >>= 5"),
        new("neg32", Instruction.Neg32(R1), "84 01 0000 00000000", "(84) w1 = -w1"),
        new("mod32 k", Instruction.Alu32(AluOp.Mod, R1, 5), "94 01 0000 05000000", "(94) w1 %= 5"),
        new("xor32 k", Instruction.Alu32(AluOp.Xor, R1, 5), "a4 01 0000 05000000", "(a4) w1 ^= 5"),
        new("mov32 k", Instruction.Mov32(R1, -2), "b4 01 0000 feffffff", "(b4) w1 = -2"),
        new("arsh32 k", Instruction.Alu32(AluOp.Arsh, R1, 5), "c4 01 0000 05000000", "(c4) w1 s>>= 5"),

        // ALU (32-bit), register
        new("add32 x", Instruction.Alu32(AluOp.Add, R1, R2), "0c 21 0000 00000000", "(0c) w1 += w2"),
        new("sub32 x", Instruction.Alu32(AluOp.Sub, R1, R2), "1c 21 0000 00000000", "(1c) w1 -= w2"),
        new("mul32 x", Instruction.Alu32(AluOp.Mul, R1, R2), "2c 21 0000 00000000", "(2c) w1 *= w2"),
        new("div32 x", Instruction.Alu32(AluOp.Div, R1, R2), "3c 21 0000 00000000", "(3c) w1 /= w2"),
        new("or32 x", Instruction.Alu32(AluOp.Or, R1, R2), "4c 21 0000 00000000", "(4c) w1 |= w2"),
        new("and32 x", Instruction.Alu32(AluOp.And, R1, R2), "5c 21 0000 00000000", "(5c) w1 &= w2"),
        new("lsh32 x", Instruction.Alu32(AluOp.Lsh, R1, R2), "6c 21 0000 00000000", "(6c) w1 <<= w2"),
        new("rsh32 x", Instruction.Alu32(AluOp.Rsh, R1, R2), "7c 21 0000 00000000", "(7c) w1 >>= w2"),
        new("mod32 x", Instruction.Alu32(AluOp.Mod, R1, R2), "9c 21 0000 00000000", "(9c) w1 %= w2"),
        new("xor32 x", Instruction.Alu32(AluOp.Xor, R1, R2), "ac 21 0000 00000000", "(ac) w1 ^= w2"),
        new("mov32 x", Instruction.Mov32(R1, R2), "bc 21 0000 00000000", "(bc) w1 = w2"),
        new("arsh32 x", Instruction.Alu32(AluOp.Arsh, R1, R2), "cc 21 0000 00000000", "(cc) w1 s>>= w2"),

        // signed division and modulo: offset 1
        new("sdiv64 x", Instruction.SignedDiv(R1, R2), "3f 21 0100 00000000", "(3f) r1 s/= r2"),
        new("sdiv64 k", Instruction.SignedDiv(R1, -7), "37 01 0100 f9ffffff", "(37) r1 s/= -7"),
        new("sdiv32 x", Instruction.SignedDiv32(R1, R2), "3c 21 0100 00000000", "(3c) w1 s/= w2"),
        new("sdiv32 k", Instruction.SignedDiv32(R1, 3), "34 01 0100 03000000", "(34) w1 s/= 3"),
        new("smod64 x", Instruction.SignedMod(R1, R2), "9f 21 0100 00000000", "(9f) r1 s%= r2"),
        new("smod64 k", Instruction.SignedMod(R1, 3), "97 01 0100 03000000", "(97) r1 s%= 3"),
        new("smod32 x", Instruction.SignedMod32(R1, R2), "9c 21 0100 00000000", "(9c) w1 s%= w2"),
        new("smod32 k", Instruction.SignedMod32(R1, 3), "94 01 0100 03000000", "(94) w1 s%= 3"),

        // sign-extending moves: offset 8/16/32
        new("movsx64 s8", Instruction.MovSignExtend(R1, R2, 8), "bf 21 0800 00000000", "(bf) r1 = (s8)r2"),
        new("movsx64 s16", Instruction.MovSignExtend(R1, R2, 16), "bf 21 1000 00000000", "(bf) r1 = (s16)r2"),
        new("movsx64 s32", Instruction.MovSignExtend(R1, R2, 32), "bf 21 2000 00000000", "(bf) r1 = (s32)r2"),
        new("movsx32 s8", Instruction.MovSignExtend32(R1, R2, 8), "bc 21 0800 00000000", "(bc) w1 = (s8)w2"),
        new("movsx32 s16", Instruction.MovSignExtend32(R1, R2, 16), "bc 21 1000 00000000", "(bc) w1 = (s16)w2"),

        // byte swaps
        new("le16", Instruction.ToLittleEndian(R1, 16), "d4 01 0000 10000000", "(d4) r1 = le16 r1"),
        new("le32", Instruction.ToLittleEndian(R1, 32), "d4 01 0000 20000000", "(d4) r1 = le32 r1"),
        new("le64", Instruction.ToLittleEndian(R1, 64), "d4 01 0000 40000000", "(d4) r1 = le64 r1"),
        new("be16", Instruction.ToBigEndian(R1, 16), "dc 01 0000 10000000", "(dc) r1 = be16 r1"),
        new("be32", Instruction.ToBigEndian(R1, 32), "dc 01 0000 20000000", "(dc) r1 = be32 r1"),
        new("be64", Instruction.ToBigEndian(R1, 64), "dc 01 0000 40000000", "(dc) r1 = be64 r1"),
        new("bswap16", Instruction.ByteSwap(R1, 16), "d7 01 0000 10000000", "(d7) r1 = bswap16 r1"),
        new("bswap32", Instruction.ByteSwap(R1, 32), "d7 01 0000 20000000", "(d7) r1 = bswap32 r1"),
        new("bswap64", Instruction.ByteSwap(R1, 64), "d7 01 0000 40000000", "(d7) r1 = bswap64 r1"),

        // loads
        new("ldxw", Instruction.Load(MemorySize.Word, R0, R1, 0), "61 10 0000 00000000", "(61) r0 = *(u32 *)(r1 +0)"),
        new("ldxh", Instruction.Load(MemorySize.Half, R0, R1, 2), "69 10 0200 00000000", "(69) r0 = *(u16 *)(r1 +2)"),
        new("ldxb", Instruction.Load(MemorySize.Byte, R0, R1, -1), "71 10 ffff 00000000", "(71) r0 = *(u8 *)(r1 -1)"),
        new("ldxdw", Instruction.Load(MemorySize.DoubleWord, R3, R10, -8), "79 a3 f8ff 00000000", "(79) r3 = *(u64 *)(r10 -8)"),
        new("ldxsb", Instruction.LoadSignExtend(MemorySize.Byte, R0, R1, 2), "91 10 0200 00000000", "(91) r0 = *(s8 *)(r1 +2)"),
        new("ldxsh", Instruction.LoadSignExtend(MemorySize.Half, R0, R1, 2), "89 10 0200 00000000", "(89) r0 = *(s16 *)(r1 +2)"),
        new("ldxsw", Instruction.LoadSignExtend(MemorySize.Word, R0, R1, -4), "81 10 fcff 00000000", "(81) r0 = *(s32 *)(r1 -4)"),

        // stores
        new("stxw", Instruction.Store(MemorySize.Word, R10, -4, R1), "63 1a fcff 00000000", "(63) *(u32 *)(r10 -4) = r1"),
        new("stxh", Instruction.Store(MemorySize.Half, R10, -2, R1), "6b 1a feff 00000000", "(6b) *(u16 *)(r10 -2) = r1"),
        new("stxb", Instruction.Store(MemorySize.Byte, R10, -1, R1), "73 1a ffff 00000000", "(73) *(u8 *)(r10 -1) = r1"),
        new("stxdw", Instruction.Store(MemorySize.DoubleWord, R10, -8, R1), "7b 1a f8ff 00000000", "(7b) *(u64 *)(r10 -8) = r1"),
        new("stw", Instruction.StoreImmediate(MemorySize.Word, R10, -4, 0), "62 0a fcff 00000000", "(62) *(u32 *)(r10 -4) = 0"),
        new("sth", Instruction.StoreImmediate(MemorySize.Half, R10, -2, 7), "6a 0a feff 07000000", "(6a) *(u16 *)(r10 -2) = 7"),
        new("stb", Instruction.StoreImmediate(MemorySize.Byte, R1, 3, 1), "72 01 0300 01000000", "(72) *(u8 *)(r1 +3) = 1"),
        new("stdw", Instruction.StoreImmediate(MemorySize.DoubleWord, R10, -16, -1), "7a 0a f0ff ffffffff", "(7a) *(u64 *)(r10 -16) = -1"),

        // atomics
        new("atomic add64", Instruction.Atomic(AtomicOp.Add, MemorySize.DoubleWord, R1, 0, R2), "db 21 0000 00000000", "(db) lock *(u64 *)(r1 +0) += r2"),
        new("atomic add32", Instruction.Atomic(AtomicOp.Add, MemorySize.Word, R1, 4, R2), "c3 21 0400 00000000", "(c3) lock *(u32 *)(r1 +4) += r2"),
        new("atomic or64", Instruction.Atomic(AtomicOp.Or, MemorySize.DoubleWord, R1, 0, R2), "db 21 0000 40000000", "(db) lock *(u64 *)(r1 +0) |= r2"),
        new("atomic and64", Instruction.Atomic(AtomicOp.And, MemorySize.DoubleWord, R1, 0, R2), "db 21 0000 50000000", "(db) lock *(u64 *)(r1 +0) &= r2"),
        new("atomic xor32", Instruction.Atomic(AtomicOp.Xor, MemorySize.Word, R1, 0, R2), "c3 21 0000 a0000000", "(c3) lock *(u32 *)(r1 +0) ^= r2"),
        new("fetch add64", Instruction.Atomic(AtomicOp.FetchAdd, MemorySize.DoubleWord, R1, 0, R2), "db 21 0000 01000000", "(db) r2 = atomic64_fetch_add((u64 *)(r1 +0), r2)"),
        new("fetch add32", Instruction.Atomic(AtomicOp.FetchAdd, MemorySize.Word, R1, -8, R2), "c3 21 f8ff 01000000", "(c3) r2 = atomic_fetch_add((u32 *)(r1 -8), r2)"),
        new("fetch or64", Instruction.Atomic(AtomicOp.FetchOr, MemorySize.DoubleWord, R1, 0, R2), "db 21 0000 41000000", "(db) r2 = atomic64_fetch_or((u64 *)(r1 +0), r2)"),
        new("fetch and32", Instruction.Atomic(AtomicOp.FetchAnd, MemorySize.Word, R1, 0, R2), "c3 21 0000 51000000", "(c3) r2 = atomic_fetch_and((u32 *)(r1 +0), r2)"),
        new("fetch xor64", Instruction.Atomic(AtomicOp.FetchXor, MemorySize.DoubleWord, R1, 0, R2), "db 21 0000 a1000000", "(db) r2 = atomic64_fetch_xor((u64 *)(r1 +0), r2)"),
        new("xchg64", Instruction.Atomic(AtomicOp.Exchange, MemorySize.DoubleWord, R1, 8, R2), "db 21 0800 e1000000", "(db) r2 = atomic64_xchg((u64 *)(r1 +8), r2)"),
        new("xchg32", Instruction.Atomic(AtomicOp.Exchange, MemorySize.Word, R1, 8, R2), "c3 21 0800 e1000000", "(c3) r2 = atomic_xchg((u32 *)(r1 +8), r2)"),
        new("cmpxchg64", Instruction.Atomic(AtomicOp.CompareExchange, MemorySize.DoubleWord, R1, 0, R2), "db 21 0000 f1000000", "(db) r0 = atomic64_cmpxchg((u64 *)(r1 +0), r0, r2)"),
        new("cmpxchg32", Instruction.Atomic(AtomicOp.CompareExchange, MemorySize.Word, R1, 0, R2), "c3 21 0000 f1000000", "(c3) r0 = atomic_cmpxchg((u32 *)(r1 +0), r0, r2)"),
        new("load_acquire64", Instruction.LoadAcquire(MemorySize.DoubleWord, R0, R1, 0), "db 10 0000 00010000", "(db) r0 = load_acquire((u64 *)(r1 +0))"),
        new("load_acquire8", Instruction.LoadAcquire(MemorySize.Byte, R0, R1, 0), "d3 10 0000 00010000", "(d3) r0 = load_acquire((u8 *)(r1 +0))"),
        new("store_release32", Instruction.StoreRelease(MemorySize.Word, R1, 4, R2), "c3 21 0400 10010000", "(c3) store_release((u32 *)(r1 +4), r2)"),
        new("store_release16", Instruction.StoreRelease(MemorySize.Half, R1, 0, R2), "cb 21 0000 10010000", "(cb) store_release((u16 *)(r1 +0), r2)"),

        // legacy packet loads
        new("ld_abs b", Instruction.LoadAbsolute(MemorySize.Byte, 12), "30 00 0000 0c000000", "(30) r0 = *(u8 *)skb[12]"),
        new("ld_abs h", Instruction.LoadAbsolute(MemorySize.Half, 12), "28 00 0000 0c000000", "(28) r0 = *(u16 *)skb[12]"),
        new("ld_abs w", Instruction.LoadAbsolute(MemorySize.Word, 26), "20 00 0000 1a000000", "(20) r0 = *(u32 *)skb[26]"),
        new("ld_ind b", Instruction.LoadIndirect(MemorySize.Byte, R6, 0), "50 60 0000 00000000", "(50) r0 = *(u8 *)skb[r6 + 0]"),
        new("ld_ind h", Instruction.LoadIndirect(MemorySize.Half, R6, 2), "48 60 0000 02000000", "(48) r0 = *(u16 *)skb[r6 + 2]"),
        new("ld_ind w", Instruction.LoadIndirect(MemorySize.Word, R6, 14), "40 60 0000 0e000000", "(40) r0 = *(u32 *)skb[r6 + 14]"),

        // ld_imm64: low half in the first imm, high half in the second slot's imm
        new("lddw", Instruction.LoadImm64(R1, 0x1122334455667788), "18 01 0000 88776655  00 00 0000 44332211", "(18) r1 = 0x1122334455667788"),
        new("lddw -1", Instruction.LoadImm64(R1, -1), "18 01 0000 ffffffff  00 00 0000 ffffffff", "(18) r1 = 0xffffffffffffffff"),
        new("lddw map_fd", Instruction.LoadMapFd(R1, 5), "18 11 0000 05000000  00 00 0000 00000000", "(18) r1 = 0x5"),
        new("lddw map_value", Instruction.LoadMapValue(R2, 5, 16), "18 22 0000 05000000  00 00 0000 10000000", "(18) r2 = 0x1000000005"),
        new("lddw btf_id", Instruction.LoadBtfId(R3, 77), "18 33 0000 4d000000  00 00 0000 00000000", "(18) r3 = 0x4d"),
        new("lddw func", Instruction.LoadFunction(R2, 10), "18 42 0000 0a000000  00 00 0000 00000000", "(18) r2 = 0xa"),
        new("lddw map_idx", Instruction.LoadMapIndex(R1, 0), "18 51 0000 00000000  00 00 0000 00000000", "(18) r1 = 0x0"),
        new("lddw map_idx_value", Instruction.LoadMapIndexValue(R1, 2, 8), "18 61 0000 02000000  00 00 0000 08000000", "(18) r1 = 0x800000002"),

        // JMP, immediate: the immediate prints as unsigned hex
        new("jeq k", Instruction.Jump(JumpOp.Equal, R0, 0, 3), "15 00 0300 00000000", "(15) if r0 == 0x0 goto pc+3"),
        new("jgt k", Instruction.Jump(JumpOp.Greater, R1, 16, 1), "25 01 0100 10000000", "(25) if r1 > 0x10 goto pc+1"),
        new("jge k", Instruction.Jump(JumpOp.GreaterOrEqual, R1, 1, 1), "35 01 0100 01000000", "(35) if r1 >= 0x1 goto pc+1"),
        new("jset k", Instruction.Jump(JumpOp.BitsSet, R1, 4, 1), "45 01 0100 04000000", "(45) if r1 & 0x4 goto pc+1"),
        new("jne k", Instruction.Jump(JumpOp.NotEqual, R1, 0, -1), "55 01 ffff 00000000", "(55) if r1 != 0x0 goto pc-1"),
        new("jsgt k", Instruction.Jump(JumpOp.SignedGreater, R1, 2, 1), "65 01 0100 02000000", "(65) if r1 s> 0x2 goto pc+1"),
        new("jsge k", Instruction.Jump(JumpOp.SignedGreaterOrEqual, R1, 2, 1), "75 01 0100 02000000", "(75) if r1 s>= 0x2 goto pc+1"),
        new("jlt k", Instruction.Jump(JumpOp.Less, R1, 2, 1), "a5 01 0100 02000000", "(a5) if r1 < 0x2 goto pc+1"),
        new("jle k", Instruction.Jump(JumpOp.LessOrEqual, R1, 2, 1), "b5 01 0100 02000000", "(b5) if r1 <= 0x2 goto pc+1"),
        new("jslt k", Instruction.Jump(JumpOp.SignedLess, R1, -1, -5), "c5 01 fbff ffffffff", "(c5) if r1 s< 0xffffffff goto pc-5"),
        new("jsle k", Instruction.Jump(JumpOp.SignedLessOrEqual, R1, 2, 1), "d5 01 0100 02000000", "(d5) if r1 s<= 0x2 goto pc+1"),

        // JMP, register
        new("jeq x", Instruction.Jump(JumpOp.Equal, R1, R2, 1), "1d 21 0100 00000000", "(1d) if r1 == r2 goto pc+1"),
        new("jgt x", Instruction.Jump(JumpOp.Greater, R1, R2, 1), "2d 21 0100 00000000", "(2d) if r1 > r2 goto pc+1"),
        new("jge x", Instruction.Jump(JumpOp.GreaterOrEqual, R1, R2, 1), "3d 21 0100 00000000", "(3d) if r1 >= r2 goto pc+1"),
        new("jset x", Instruction.Jump(JumpOp.BitsSet, R1, R2, 1), "4d 21 0100 00000000", "(4d) if r1 & r2 goto pc+1"),
        new("jne x", Instruction.Jump(JumpOp.NotEqual, R1, R2, 1), "5d 21 0100 00000000", "(5d) if r1 != r2 goto pc+1"),
        new("jsgt x", Instruction.Jump(JumpOp.SignedGreater, R1, R2, 1), "6d 21 0100 00000000", "(6d) if r1 s> r2 goto pc+1"),
        new("jsge x", Instruction.Jump(JumpOp.SignedGreaterOrEqual, R1, R2, 1), "7d 21 0100 00000000", "(7d) if r1 s>= r2 goto pc+1"),
        new("jlt x", Instruction.Jump(JumpOp.Less, R1, R2, 1), "ad 21 0100 00000000", "(ad) if r1 < r2 goto pc+1"),
        new("jle x", Instruction.Jump(JumpOp.LessOrEqual, R1, R2, 1), "bd 21 0100 00000000", "(bd) if r1 <= r2 goto pc+1"),
        new("jslt x", Instruction.Jump(JumpOp.SignedLess, R1, R2, 1), "cd 21 0100 00000000", "(cd) if r1 s< r2 goto pc+1"),
        new("jsle x", Instruction.Jump(JumpOp.SignedLessOrEqual, R1, R2, 1), "dd 21 0100 00000000", "(dd) if r1 s<= r2 goto pc+1"),

        // JMP32
        new("jeq32 k", Instruction.Jump32(JumpOp.Equal, R1, 0, 1), "16 01 0100 00000000", "(16) if w1 == 0x0 goto pc+1"),
        new("jgt32 k", Instruction.Jump32(JumpOp.Greater, R1, 5, 2), "26 01 0200 05000000", "(26) if w1 > 0x5 goto pc+2"),
        new("jsle32 k", Instruction.Jump32(JumpOp.SignedLessOrEqual, R1, -2, 2), "d6 01 0200 feffffff", "(d6) if w1 s<= 0xfffffffe goto pc+2"),
        new("jne32 x", Instruction.Jump32(JumpOp.NotEqual, R1, R2, -3), "5e 21 fdff 00000000", "(5e) if w1 != w2 goto pc-3"),
        new("jset32 x", Instruction.Jump32(JumpOp.BitsSet, R3, R4, 1), "4e 43 0100 00000000", "(4e) if w3 & w4 goto pc+1"),
        new("jlt32 x", Instruction.Jump32(JumpOp.Less, R1, R2, 1), "ae 21 0100 00000000", "(ae) if w1 < w2 goto pc+1"),

        // unconditional jumps, calls, exit
        new("ja", Instruction.Ja(-2), "05 00 feff 00000000", "(05) goto pc-2"),
        new("ja 0", Instruction.Ja(0), "05 00 0000 00000000", "(05) goto pc+0"),
        new("gotol", Instruction.Gotol(100000), "06 00 0000 a0860100", "(06) gotol pc+100000"),
        new("gotol back", Instruction.Gotol(-70000), "06 00 0000 90eefeff", "(06) gotol pc-70000"),
        new("may_goto", Instruction.MayGoto(3), "e5 00 0300 00000000", "(e5) may_goto pc+3"),
        new("call helper", Instruction.Call(1), "85 00 0000 01000000", "(85) call unknown#1"),
        new("call subprogram", Instruction.CallSubprogram(5), "85 10 0000 05000000", "(85) call pc+5"),
        new("call subprogram back", Instruction.CallSubprogram(-3), "85 10 0000 fdffffff", "(85) call pc-3"),
        new("call kfunc", Instruction.CallKfunc(12345, 1), "85 20 0100 39300000", "(85) call kernel-function#12345"),
        new("exit", Instruction.Exit(), "95 00 0000 00000000", "(95) exit"),
    ];

    /// <summary>Form names, so each row is its own test case.</summary>
    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (Form form in All)
            data.Add(form.Name);
        return data;
    }

    public static Form Get(string name) => All.Single(f => f.Name == name);

    public static byte[] Bytes(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));
}
