namespace BpfSharp.Asm;

/// <summary>
/// Builds a program from instructions with named labels; jumps and subprogram calls name a label and
/// are resolved when <see cref="Build"/> is called.
/// </summary>
/// <example>
/// <code>
/// var asm = new Assembler();
/// asm.Mov(Register.R0, 0);
/// asm.JumpIf(JumpOp.Equal, Register.R1, 0, "out");
/// asm.Mov(Register.R0, 1);
/// asm.Label("out");
/// asm.Exit();
/// Instruction[] program = asm.Build();
/// </code>
/// </example>
public sealed class Assembler
{
    private readonly List<Instruction> _instructions = [];
    private readonly Dictionary<string, int> _labels = new(StringComparer.Ordinal);
    private readonly List<string> _pendingLabels = [];
    private SourceLocation? _source;

    /// <summary>The number of instructions emitted so far.</summary>
    public int Count => _instructions.Count;

    /// <summary>Defines <paramref name="name"/> at the next instruction emitted.</summary>
    /// <exception cref="BpfAsmException">The label is already defined.</exception>
    public Assembler Label(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (_labels.ContainsKey(name) || _pendingLabels.Contains(name))
            throw new BpfAsmException($"label '{name}' is defined twice.");
        _pendingLabels.Add(name);
        return this;
    }

    /// <summary>Attaches <paramref name="source"/> to every instruction emitted from now on (null to stop).</summary>
    public Assembler At(SourceLocation? source)
    {
        _source = source;
        return this;
    }

    /// <summary>Appends an instruction; pending labels are defined at it, and the current source location is attached.</summary>
    public Assembler Emit(Instruction instruction)
    {
        if (instruction.Symbol is { } symbol && !_pendingLabels.Contains(symbol))
        {
            if (!_labels.TryAdd(symbol, _instructions.Count))
                throw new BpfAsmException($"label '{symbol}' is defined twice.");
        }
        if (_pendingLabels.Count > 0)
        {
            foreach (string label in _pendingLabels)
                _labels.Add(label, _instructions.Count);
            instruction = instruction.WithSymbol(instruction.Symbol ?? _pendingLabels[0]);
            _pendingLabels.Clear();
        }
        if (_source is not null && instruction.Source is null)
            instruction = instruction.WithSource(_source);
        _instructions.Add(instruction);
        return this;
    }

    /// <summary>Resolves every label reference and returns the program.</summary>
    /// <exception cref="BpfAsmException">A label is unknown, a label is not followed by an instruction, or a jump is too long.</exception>
    public Instruction[] Build()
    {
        if (_pendingLabels.Count > 0)
            throw new BpfAsmException($"label '{_pendingLabels[0]}' is not followed by an instruction.");
        Instruction[] program = [.. _instructions];
        InstructionList.ResolveReferences(program, _labels);
        return program;
    }

    // ---- ALU ----

    /// <summary>64-bit <c>dst op= src</c>.</summary>
    public Assembler Alu(AluOp op, Register dst, Register src) => Emit(Instruction.Alu(op, dst, src));

    /// <summary>64-bit <c>dst op= imm</c>.</summary>
    public Assembler Alu(AluOp op, Register dst, int imm) => Emit(Instruction.Alu(op, dst, imm));

    /// <summary>32-bit <c>wdst op= wsrc</c>.</summary>
    public Assembler Alu32(AluOp op, Register dst, Register src) => Emit(Instruction.Alu32(op, dst, src));

    /// <summary>32-bit <c>wdst op= imm</c>.</summary>
    public Assembler Alu32(AluOp op, Register dst, int imm) => Emit(Instruction.Alu32(op, dst, imm));

    /// <summary>64-bit <c>dst = src</c>.</summary>
    public Assembler Mov(Register dst, Register src) => Emit(Instruction.Mov(dst, src));

    /// <summary>64-bit <c>dst = imm</c>.</summary>
    public Assembler Mov(Register dst, int imm) => Emit(Instruction.Mov(dst, imm));

    /// <summary>32-bit <c>wdst = wsrc</c>.</summary>
    public Assembler Mov32(Register dst, Register src) => Emit(Instruction.Mov32(dst, src));

    /// <summary>32-bit <c>wdst = imm</c>.</summary>
    public Assembler Mov32(Register dst, int imm) => Emit(Instruction.Mov32(dst, imm));

    /// <summary>64-bit <c>dst += imm</c>.</summary>
    public Assembler Add(Register dst, int imm) => Emit(Instruction.Alu(AluOp.Add, dst, imm));

    /// <summary>64-bit <c>dst += src</c>.</summary>
    public Assembler Add(Register dst, Register src) => Emit(Instruction.Alu(AluOp.Add, dst, src));

    /// <summary>64-bit <c>dst = -dst</c>.</summary>
    public Assembler Neg(Register dst) => Emit(Instruction.Neg(dst));

    /// <summary>32-bit <c>wdst = -wdst</c>.</summary>
    public Assembler Neg32(Register dst) => Emit(Instruction.Neg32(dst));

    /// <summary>64-bit signed <c>dst s/= src</c>.</summary>
    public Assembler SignedDiv(Register dst, Register src) => Emit(Instruction.SignedDiv(dst, src));

    /// <summary>64-bit signed <c>dst s/= imm</c>.</summary>
    public Assembler SignedDiv(Register dst, int imm) => Emit(Instruction.SignedDiv(dst, imm));

    /// <summary>32-bit signed <c>wdst s/= wsrc</c>.</summary>
    public Assembler SignedDiv32(Register dst, Register src) => Emit(Instruction.SignedDiv32(dst, src));

    /// <summary>32-bit signed <c>wdst s/= imm</c>.</summary>
    public Assembler SignedDiv32(Register dst, int imm) => Emit(Instruction.SignedDiv32(dst, imm));

    /// <summary>64-bit signed <c>dst s%= src</c>.</summary>
    public Assembler SignedMod(Register dst, Register src) => Emit(Instruction.SignedMod(dst, src));

    /// <summary>64-bit signed <c>dst s%= imm</c>.</summary>
    public Assembler SignedMod(Register dst, int imm) => Emit(Instruction.SignedMod(dst, imm));

    /// <summary>32-bit signed <c>wdst s%= wsrc</c>.</summary>
    public Assembler SignedMod32(Register dst, Register src) => Emit(Instruction.SignedMod32(dst, src));

    /// <summary>32-bit signed <c>wdst s%= imm</c>.</summary>
    public Assembler SignedMod32(Register dst, int imm) => Emit(Instruction.SignedMod32(dst, imm));

    /// <summary>64-bit <c>dst = (sN)src</c>, N = 8, 16 or 32.</summary>
    public Assembler MovSignExtend(Register dst, Register src, int fromBits) => Emit(Instruction.MovSignExtend(dst, src, fromBits));

    /// <summary>32-bit <c>wdst = (sN)wsrc</c>, N = 8 or 16.</summary>
    public Assembler MovSignExtend32(Register dst, Register src, int fromBits) => Emit(Instruction.MovSignExtend32(dst, src, fromBits));

    /// <summary><c>dst = leN dst</c>.</summary>
    public Assembler ToLittleEndian(Register dst, int bits) => Emit(Instruction.ToLittleEndian(dst, bits));

    /// <summary><c>dst = beN dst</c>.</summary>
    public Assembler ToBigEndian(Register dst, int bits) => Emit(Instruction.ToBigEndian(dst, bits));

    /// <summary><c>dst = bswapN dst</c>.</summary>
    public Assembler ByteSwap(Register dst, int bits) => Emit(Instruction.ByteSwap(dst, bits));

    // ---- memory ----

    /// <summary><c>dst = *(size *)(src + offset)</c>.</summary>
    public Assembler Load(MemorySize size, Register dst, Register src, short offset) => Emit(Instruction.Load(size, dst, src, offset));

    /// <summary><c>dst = *(sN *)(src + offset)</c>, sign-extending.</summary>
    public Assembler LoadSignExtend(MemorySize size, Register dst, Register src, short offset) =>
        Emit(Instruction.LoadSignExtend(size, dst, src, offset));

    /// <summary><c>*(size *)(dst + offset) = src</c>.</summary>
    public Assembler Store(MemorySize size, Register dst, short offset, Register src) => Emit(Instruction.Store(size, dst, offset, src));

    /// <summary><c>*(size *)(dst + offset) = imm</c>.</summary>
    public Assembler StoreImmediate(MemorySize size, Register dst, short offset, int imm) =>
        Emit(Instruction.StoreImmediate(size, dst, offset, imm));

    /// <summary>An atomic operation on <c>*(size *)(dst + offset)</c> with src.</summary>
    public Assembler Atomic(AtomicOp op, MemorySize size, Register dst, short offset, Register src) =>
        Emit(Instruction.Atomic(op, size, dst, offset, src));

    /// <summary><c>dst = load_acquire((size *)(src + offset))</c>.</summary>
    public Assembler LoadAcquire(MemorySize size, Register dst, Register src, short offset) =>
        Emit(Instruction.LoadAcquire(size, dst, src, offset));

    /// <summary><c>store_release((size *)(dst + offset), src)</c>.</summary>
    public Assembler StoreRelease(MemorySize size, Register dst, short offset, Register src) =>
        Emit(Instruction.StoreRelease(size, dst, offset, src));

    /// <summary>Legacy <c>r0 = *(size *)skb[offset]</c>.</summary>
    public Assembler LoadAbsolute(MemorySize size, int offset) => Emit(Instruction.LoadAbsolute(size, offset));

    /// <summary>Legacy <c>r0 = *(size *)skb[src + offset]</c>.</summary>
    public Assembler LoadIndirect(MemorySize size, Register src, int offset) => Emit(Instruction.LoadIndirect(size, src, offset));

    // ---- ld_imm64 ----

    /// <summary><c>dst = constant</c> (16-byte <c>ld_imm64</c>).</summary>
    public Assembler LoadImm64(Register dst, long constant) => Emit(Instruction.LoadImm64(dst, constant));

    /// <summary><c>dst = map_by_fd(fd)</c>.</summary>
    public Assembler LoadMapFd(Register dst, int fd) => Emit(Instruction.LoadMapFd(dst, fd));

    /// <summary><c>dst = map_val(map_by_fd(fd)) + offset</c>.</summary>
    public Assembler LoadMapValue(Register dst, int fd, int offset) => Emit(Instruction.LoadMapValue(dst, fd, offset));

    /// <summary>A map load that a later relocation step binds to the map named <paramref name="mapName"/>.</summary>
    public Assembler LoadMapByName(Register dst, string mapName) => Emit(Instruction.LoadMapByName(dst, mapName));

    /// <summary>A map-value address that a later relocation step binds to the map named <paramref name="mapName"/>.</summary>
    public Assembler LoadMapValueByName(Register dst, string mapName, int offset) =>
        Emit(Instruction.LoadMapValueByName(dst, mapName, offset));

    /// <summary><c>dst = var_addr(btfId)</c>.</summary>
    public Assembler LoadBtfId(Register dst, int btfId) => Emit(Instruction.LoadBtfId(dst, btfId));

    /// <summary><c>dst</c> = the address of the subprogram at <paramref name="label"/>.</summary>
    public Assembler LoadFunction(Register dst, string label) => Emit(Instruction.LoadFunction(dst, 0).WithReference(label));

    // ---- control flow ----

    /// <summary><c>if dst op imm goto label</c> (64-bit comparison).</summary>
    public Assembler JumpIf(JumpOp op, Register dst, int imm, string label) => Emit(Instruction.Jump(op, dst, imm, 0).WithReference(label));

    /// <summary><c>if dst op src goto label</c> (64-bit comparison).</summary>
    public Assembler JumpIf(JumpOp op, Register dst, Register src, string label) => Emit(Instruction.Jump(op, dst, src, 0).WithReference(label));

    /// <summary><c>if wdst op imm goto label</c> (32-bit comparison).</summary>
    public Assembler JumpIf32(JumpOp op, Register dst, int imm, string label) => Emit(Instruction.Jump32(op, dst, imm, 0).WithReference(label));

    /// <summary><c>if wdst op wsrc goto label</c> (32-bit comparison).</summary>
    public Assembler JumpIf32(JumpOp op, Register dst, Register src, string label) => Emit(Instruction.Jump32(op, dst, src, 0).WithReference(label));

    /// <summary><c>goto label</c> (16-bit offset).</summary>
    public Assembler Ja(string label) => Emit(Instruction.Ja(0).WithReference(label));

    /// <summary><c>gotol label</c> (32-bit offset).</summary>
    public Assembler Gotol(string label) => Emit(Instruction.Gotol(0).WithReference(label));

    /// <summary><c>may_goto label</c>.</summary>
    public Assembler MayGoto(string label) => Emit(Instruction.MayGoto(0).WithReference(label));

    /// <summary>Calls the helper with the given id.</summary>
    public Assembler Call(int helperId) => Emit(Instruction.Call(helperId));

    /// <summary>Calls the subprogram at <paramref name="label"/>.</summary>
    public Assembler CallSubprogram(string label) => Emit(Instruction.CallSubprogram(0).WithReference(label));

    /// <summary>Calls the kernel function with the given BTF id and BTF fd-array index.</summary>
    public Assembler CallKfunc(int btfId, short btfFdIndex = 0) => Emit(Instruction.CallKfunc(btfId, btfFdIndex));

    /// <summary>Calls the kernel function named <paramref name="kfuncName"/>, bound by a later relocation step.</summary>
    public Assembler CallKfunc(string kfuncName) => Emit(Instruction.CallKfuncByName(kfuncName));

    /// <summary><c>exit</c>.</summary>
    public Assembler Exit() => Emit(Instruction.Exit());
}
