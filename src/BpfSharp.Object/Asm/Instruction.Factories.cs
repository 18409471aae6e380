namespace BpfSharp.Asm;

// Static constructors for every instruction form; the assembler builds on these, so each encoding
// decision (which field carries what) is written once, here.
public readonly partial record struct Instruction
{
    // ---- ALU ----

    /// <summary>64-bit <c>dst op= src</c>.</summary>
    public static Instruction Alu(AluOp op, Register dst, Register src) =>
        AluForm(InstructionClass.Alu64, op, OperandSource.Register, dst, src, 0, 0);

    /// <summary>64-bit <c>dst op= imm</c> (imm sign-extended to 64 bits).</summary>
    public static Instruction Alu(AluOp op, Register dst, int imm) =>
        AluForm(InstructionClass.Alu64, op, OperandSource.Immediate, dst, Register.R0, 0, imm);

    /// <summary>32-bit <c>wdst op= wsrc</c>; the upper half of dst is zeroed.</summary>
    public static Instruction Alu32(AluOp op, Register dst, Register src) =>
        AluForm(InstructionClass.Alu, op, OperandSource.Register, dst, src, 0, 0);

    /// <summary>32-bit <c>wdst op= imm</c>; the upper half of dst is zeroed.</summary>
    public static Instruction Alu32(AluOp op, Register dst, int imm) =>
        AluForm(InstructionClass.Alu, op, OperandSource.Immediate, dst, Register.R0, 0, imm);

    /// <summary>64-bit <c>dst = src</c>.</summary>
    public static Instruction Mov(Register dst, Register src) => Alu(AluOp.Mov, dst, src);

    /// <summary>64-bit <c>dst = imm</c> (sign-extended).</summary>
    public static Instruction Mov(Register dst, int imm) => Alu(AluOp.Mov, dst, imm);

    /// <summary>32-bit <c>wdst = wsrc</c>.</summary>
    public static Instruction Mov32(Register dst, Register src) => Alu32(AluOp.Mov, dst, src);

    /// <summary>32-bit <c>wdst = imm</c>.</summary>
    public static Instruction Mov32(Register dst, int imm) => Alu32(AluOp.Mov, dst, imm);

    /// <summary>64-bit <c>dst = -dst</c>.</summary>
    public static Instruction Neg(Register dst) => Alu(AluOp.Neg, dst, 0);

    /// <summary>32-bit <c>wdst = -wdst</c>.</summary>
    public static Instruction Neg32(Register dst) => Alu32(AluOp.Neg, dst, 0);

    /// <summary>64-bit signed division <c>dst s/= src</c> (offset 1).</summary>
    public static Instruction SignedDiv(Register dst, Register src) =>
        AluForm(InstructionClass.Alu64, AluOp.Div, OperandSource.Register, dst, src, 1, 0);

    /// <summary>64-bit signed division <c>dst s/= imm</c>.</summary>
    public static Instruction SignedDiv(Register dst, int imm) =>
        AluForm(InstructionClass.Alu64, AluOp.Div, OperandSource.Immediate, dst, Register.R0, 1, imm);

    /// <summary>32-bit signed division <c>wdst s/= wsrc</c>.</summary>
    public static Instruction SignedDiv32(Register dst, Register src) =>
        AluForm(InstructionClass.Alu, AluOp.Div, OperandSource.Register, dst, src, 1, 0);

    /// <summary>32-bit signed division <c>wdst s/= imm</c>.</summary>
    public static Instruction SignedDiv32(Register dst, int imm) =>
        AluForm(InstructionClass.Alu, AluOp.Div, OperandSource.Immediate, dst, Register.R0, 1, imm);

    /// <summary>64-bit signed modulo <c>dst s%= src</c> (offset 1).</summary>
    public static Instruction SignedMod(Register dst, Register src) =>
        AluForm(InstructionClass.Alu64, AluOp.Mod, OperandSource.Register, dst, src, 1, 0);

    /// <summary>64-bit signed modulo <c>dst s%= imm</c>.</summary>
    public static Instruction SignedMod(Register dst, int imm) =>
        AluForm(InstructionClass.Alu64, AluOp.Mod, OperandSource.Immediate, dst, Register.R0, 1, imm);

    /// <summary>32-bit signed modulo <c>wdst s%= wsrc</c>.</summary>
    public static Instruction SignedMod32(Register dst, Register src) =>
        AluForm(InstructionClass.Alu, AluOp.Mod, OperandSource.Register, dst, src, 1, 0);

    /// <summary>32-bit signed modulo <c>wdst s%= imm</c>.</summary>
    public static Instruction SignedMod32(Register dst, int imm) =>
        AluForm(InstructionClass.Alu, AluOp.Mod, OperandSource.Immediate, dst, Register.R0, 1, imm);

    /// <summary>64-bit sign-extending move <c>dst = (sN)src</c>, N = 8, 16 or 32.</summary>
    public static Instruction MovSignExtend(Register dst, Register src, int fromBits)
    {
        if (fromBits is not (8 or 16 or 32))
            throw new ArgumentOutOfRangeException(nameof(fromBits), fromBits, "A 64-bit sign-extending move extends from 8, 16 or 32 bits.");
        return AluForm(InstructionClass.Alu64, AluOp.Mov, OperandSource.Register, dst, src, (short)fromBits, 0);
    }

    /// <summary>32-bit sign-extending move <c>wdst = (sN)wsrc</c>, N = 8 or 16.</summary>
    public static Instruction MovSignExtend32(Register dst, Register src, int fromBits)
    {
        if (fromBits is not (8 or 16))
            throw new ArgumentOutOfRangeException(nameof(fromBits), fromBits, "A 32-bit sign-extending move extends from 8 or 16 bits.");
        return AluForm(InstructionClass.Alu, AluOp.Mov, OperandSource.Register, dst, src, (short)fromBits, 0);
    }

    /// <summary>Converts the low <paramref name="bits"/> of dst from host order to little-endian (<c>le16/le32/le64</c>).</summary>
    public static Instruction ToLittleEndian(Register dst, int bits) =>
        AluForm(InstructionClass.Alu, AluOp.End, OperandSource.Immediate, dst, Register.R0, 0, CheckSwapWidth(bits));

    /// <summary>Converts the low <paramref name="bits"/> of dst from host order to big-endian (<c>be16/be32/be64</c>).</summary>
    public static Instruction ToBigEndian(Register dst, int bits) =>
        AluForm(InstructionClass.Alu, AluOp.End, OperandSource.Register, dst, Register.R0, 0, CheckSwapWidth(bits));

    /// <summary>Unconditionally reverses the bytes of the low <paramref name="bits"/> of dst (<c>bswap16/32/64</c>, ALU64 class).</summary>
    public static Instruction ByteSwap(Register dst, int bits) =>
        AluForm(InstructionClass.Alu64, AluOp.End, OperandSource.Immediate, dst, Register.R0, 0, CheckSwapWidth(bits));

    // ---- memory ----

    /// <summary><c>dst = *(size *)(src + offset)</c>, zero-extending.</summary>
    public static Instruction Load(MemorySize size, Register dst, Register src, short offset) =>
        new(OpCode.Memory(InstructionClass.Ldx, AddressingMode.Memory, size), dst, src, offset, 0);

    /// <summary><c>dst = *(sN *)(src + offset)</c>, sign-extending; size is byte, half or word.</summary>
    public static Instruction LoadSignExtend(MemorySize size, Register dst, Register src, short offset)
    {
        if (size == MemorySize.DoubleWord)
            throw new ArgumentOutOfRangeException(nameof(size), size, "A sign-extending load reads 1, 2 or 4 bytes.");
        return new(OpCode.Memory(InstructionClass.Ldx, AddressingMode.MemorySignExtend, size), dst, src, offset, 0);
    }

    /// <summary><c>*(size *)(dst + offset) = src</c>.</summary>
    public static Instruction Store(MemorySize size, Register dst, short offset, Register src) =>
        new(OpCode.Memory(InstructionClass.Stx, AddressingMode.Memory, size), dst, src, offset, 0);

    /// <summary><c>*(size *)(dst + offset) = imm</c>.</summary>
    public static Instruction StoreImmediate(MemorySize size, Register dst, short offset, int imm) =>
        new(OpCode.Memory(InstructionClass.St, AddressingMode.Memory, size), dst, Register.R0, offset, imm);

    /// <summary>
    /// An atomic read-modify-write on <c>*(size *)(dst + offset)</c> with operand src (word or double word).
    /// The fetch forms and <see cref="AtomicOp.Exchange"/> return the old value in src;
    /// <see cref="AtomicOp.CompareExchange"/> compares with and returns into R0.
    /// </summary>
    public static Instruction Atomic(AtomicOp op, MemorySize size, Register dst, short offset, Register src) =>
        new(OpCode.Memory(InstructionClass.Stx, AddressingMode.Atomic, size), dst, src, offset, (int)op);

    /// <summary><c>dst = load_acquire((size *)(src + offset))</c>.</summary>
    public static Instruction LoadAcquire(MemorySize size, Register dst, Register src, short offset) =>
        new(OpCode.Memory(InstructionClass.Stx, AddressingMode.Atomic, size), dst, src, offset, (int)AtomicOp.LoadAcquire);

    /// <summary><c>store_release((size *)(dst + offset), src)</c>.</summary>
    public static Instruction StoreRelease(MemorySize size, Register dst, short offset, Register src) =>
        new(OpCode.Memory(InstructionClass.Stx, AddressingMode.Atomic, size), dst, src, offset, (int)AtomicOp.StoreRelease);

    /// <summary>Legacy packet load <c>r0 = *(size *)skb[offset]</c> (<c>BPF_ABS</c>).</summary>
    public static Instruction LoadAbsolute(MemorySize size, int offset) =>
        new(OpCode.Memory(InstructionClass.Ld, AddressingMode.Absolute, size), Register.R0, Register.R0, 0, offset);

    /// <summary>Legacy packet load <c>r0 = *(size *)skb[src + offset]</c> (<c>BPF_IND</c>).</summary>
    public static Instruction LoadIndirect(MemorySize size, Register src, int offset) =>
        new(OpCode.Memory(InstructionClass.Ld, AddressingMode.Indirect, size), Register.R0, src, 0, offset);

    // ---- ld_imm64 ----

    /// <summary>The 16-byte <c>ld_imm64</c> with the given pseudo source and 64-bit immediate.</summary>
    public static Instruction LoadImm64(Register dst, LoadImm64Source source, long constant) =>
        new(OpCode.LoadImm64, dst, (Register)source, 0, constant);

    /// <summary><c>dst = constant</c> (64-bit).</summary>
    public static Instruction LoadImm64(Register dst, long constant) => LoadImm64(dst, LoadImm64Source.Constant, constant);

    /// <summary><c>dst = map_by_fd(fd)</c>.</summary>
    public static Instruction LoadMapFd(Register dst, int fd) => LoadImm64(dst, LoadImm64Source.MapFd, (uint)fd);

    /// <summary><c>dst = map_val(map_by_fd(fd)) + offset</c>.</summary>
    public static Instruction LoadMapValue(Register dst, int fd, int offset) =>
        LoadImm64(dst, LoadImm64Source.MapValue, Combine(fd, offset));

    /// <summary><c>dst = map_by_idx(index)</c>, an index into the program's fd array.</summary>
    public static Instruction LoadMapIndex(Register dst, int index) => LoadImm64(dst, LoadImm64Source.MapIndex, (uint)index);

    /// <summary><c>dst = map_val(map_by_idx(index)) + offset</c>.</summary>
    public static Instruction LoadMapIndexValue(Register dst, int index, int offset) =>
        LoadImm64(dst, LoadImm64Source.MapIndexValue, Combine(index, offset));

    /// <summary><c>dst = var_addr(btfId)</c>, a kernel variable by BTF id.</summary>
    public static Instruction LoadBtfId(Register dst, int btfId) => LoadImm64(dst, LoadImm64Source.BtfId, (uint)btfId);

    /// <summary><c>dst = code_addr(next + relativeSlots)</c>, the address of a subprogram.</summary>
    public static Instruction LoadFunction(Register dst, int relativeSlots) =>
        LoadImm64(dst, LoadImm64Source.Function, (uint)relativeSlots);

    /// <summary>A map load whose fd is filled in by a later relocation of the map named <paramref name="mapName"/>.</summary>
    public static Instruction LoadMapByName(Register dst, string mapName) =>
        LoadMapFd(dst, 0).WithReference(mapName);

    /// <summary>A map-value address whose fd is filled in by a later relocation of the map named <paramref name="mapName"/>.</summary>
    public static Instruction LoadMapValueByName(Register dst, string mapName, int offset) =>
        LoadMapValue(dst, 0, offset).WithReference(mapName);

    // ---- jumps, calls, exit ----

    /// <summary><c>if dst op imm goto pc+offset</c>, 64-bit comparison.</summary>
    public static Instruction Jump(JumpOp op, Register dst, int imm, short offset) =>
        JumpForm(InstructionClass.Jmp, op, OperandSource.Immediate, dst, Register.R0, offset, imm);

    /// <summary><c>if dst op src goto pc+offset</c>, 64-bit comparison.</summary>
    public static Instruction Jump(JumpOp op, Register dst, Register src, short offset) =>
        JumpForm(InstructionClass.Jmp, op, OperandSource.Register, dst, src, offset, 0);

    /// <summary><c>if wdst op imm goto pc+offset</c>, 32-bit comparison.</summary>
    public static Instruction Jump32(JumpOp op, Register dst, int imm, short offset) =>
        JumpForm(InstructionClass.Jmp32, op, OperandSource.Immediate, dst, Register.R0, offset, imm);

    /// <summary><c>if wdst op wsrc goto pc+offset</c>, 32-bit comparison.</summary>
    public static Instruction Jump32(JumpOp op, Register dst, Register src, short offset) =>
        JumpForm(InstructionClass.Jmp32, op, OperandSource.Register, dst, src, offset, 0);

    /// <summary><c>goto pc+offset</c>.</summary>
    public static Instruction Ja(short offset) =>
        new(OpCode.Jump(InstructionClass.Jmp, JumpOp.Always, OperandSource.Immediate), Register.R0, Register.R0, offset, 0);

    /// <summary><c>gotol pc+offset</c>: an unconditional jump with a 32-bit offset in the immediate.</summary>
    public static Instruction Gotol(int offset) =>
        new(OpCode.Jump(InstructionClass.Jmp32, JumpOp.Always, OperandSource.Immediate), Register.R0, Register.R0, 0, offset);

    /// <summary><c>may_goto pc+offset</c>: a jump the kernel may take to bound loop iterations.</summary>
    public static Instruction MayGoto(short offset) =>
        new(OpCode.Jump(InstructionClass.Jmp, JumpOp.Conditional, OperandSource.Immediate), Register.R0, Register.R0, offset, 0);

    /// <summary>Calls the helper function with the given id.</summary>
    public static Instruction Call(int helperId) => new(OpCode.Call, Register.R0, (Register)CallKind.Helper, 0, helperId);

    /// <summary>Calls the BPF subprogram <paramref name="relativeSlots"/> slots after the next instruction.</summary>
    public static Instruction CallSubprogram(int relativeSlots) =>
        new(OpCode.Call, Register.R0, (Register)CallKind.Subprogram, 0, relativeSlots);

    /// <summary>Calls the kernel function with BTF id <paramref name="btfId"/> in the BTF at fd-array index <paramref name="btfFdIndex"/> (0 = vmlinux).</summary>
    public static Instruction CallKfunc(int btfId, short btfFdIndex = 0) =>
        new(OpCode.Call, Register.R0, (Register)CallKind.Kfunc, btfFdIndex, btfId);

    /// <summary>A kfunc call whose BTF id and fd index are filled in by a later relocation of the function named <paramref name="kfuncName"/>.</summary>
    public static Instruction CallKfuncByName(string kfuncName) => CallKfunc(0).WithReference(kfuncName);

    /// <summary>Returns from the program or subprogram with R0.</summary>
    public static Instruction Exit() => new(OpCode.Exit, Register.R0, Register.R0, 0, 0);

    private static Instruction AluForm(InstructionClass cls, AluOp op, OperandSource source, Register dst, Register src, short offset, int imm) =>
        new(OpCode.Alu(cls, op, source), dst, src, offset, imm);

    private static Instruction JumpForm(InstructionClass cls, JumpOp op, OperandSource source, Register dst, Register src, short offset, int imm)
    {
        if (op is JumpOp.Call or JumpOp.Exit or JumpOp.Always or JumpOp.Conditional)
            throw new ArgumentOutOfRangeException(nameof(op), op, "Use Call, Exit, Ja, Gotol or MayGoto for that jump operation.");
        return new(OpCode.Jump(cls, op, source), dst, src, offset, imm);
    }

    private static int CheckSwapWidth(int bits) => bits is 16 or 32 or 64
        ? bits
        : throw new ArgumentOutOfRangeException(nameof(bits), bits, "A byte swap is 16, 32 or 64 bits wide.");

    private static long Combine(int low, int high) => ((long)high << 32) | (uint)low;
}
