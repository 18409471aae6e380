using BpfSharp.Asm;
using BpfSharp.Compiler.Diagnostics;
using BpfSharp.Compiler.IR;

namespace BpfSharp.Compiler.Backend;

/// <summary>
/// Lowers IR to two-address eBPF over virtual registers: <c>x = a op b</c> becomes <c>x = a; x op= b</c>
/// (the copy vanishes when the allocator coalesces), constants become immediates where they fit, calls
/// move their arguments into r1–r5 and their result out of r0 (copies the allocator coalesces).
/// </summary>
internal sealed partial class InstructionSelector
{
    readonly IrFunction _function;
    readonly MachineFunction _machine;
    readonly bool[] _zeroExtended;
    readonly Dictionary<BasicBlock, int> _blockIndex = [];
    MachineBlock _block = null!;
    SourceLocation? _source;

    InstructionSelector(IrFunction function)
    {
        _function = function;
        _machine = new MachineFunction(function);
        _zeroExtended = ZeroExtensionAnalysis.Run(function);
        for (int i = 0; i < MachineRegister.PhysicalCount; i++) _machine.Kinds.Add(ValueKind.I64);
        for (int i = 0; i < function.RegisterCount; i++) _machine.Kinds.Add(ValueKind.I64);
        foreach (BasicBlock block in function.Blocks)
            foreach (IrInstruction instruction in block.Instructions)
                if (instruction.Destination is { } d) _machine.Kinds[Id(d)] = d.Kind;
        foreach (VirtualRegister p in function.Parameters) _machine.Kinds[Id(p)] = p.Kind;
    }

    /// <summary>Lowers <paramref name="function"/>; block 0 of the result is the prologue, then the reachable blocks in reverse postorder.</summary>
    public static MachineFunction Select(IrFunction function) => new InstructionSelector(function).Run();

    static int Id(VirtualRegister register) => MachineRegister.PhysicalCount + register.Id;

    MachineFunction Run()
    {
        if (_function.Blocks.Count == 0)
            throw new ArgumentException($"Function '{_function.Name}' has no blocks.", nameof(_function));
        if (_function.Parameters.Count > 5)
            throw Error(DiagnosticCatalog.TooManyArguments, _function.Source, _function.Name, _function.Parameters.Count);

        List<BasicBlock> order = ReversePostorder(_function.Blocks[0]);
        for (int i = 0; i < order.Count; i++) _blockIndex[order[i]] = i + 1;

        _block = new MachineBlock(0);
        _machine.Blocks.Add(_block);
        _source = _function.Source;
        for (int i = 0; i < _function.Parameters.Count; i++)
            Copy(Id(_function.Parameters[i]), i + 1);
        foreach (StackSlot slot in _function.StackSlots)
            if (slot.ZeroInitialize)
                for (int offset = 0; offset < slot.Size; offset += 8)
                    Emit(Instruction.StoreImmediate(MemorySize.DoubleWord, Register.R10, (short)offset, 0), MachineRegister.FramePointer,
                        MachineRegister.None, [], [], sideEffects: true, slot: slot, field: SlotField.Offset);
        _block.Terminator = new MachineTerminator { Kind = TerminatorKind.Jump, Target = 1, Source = _source };

        foreach (BasicBlock block in order)
        {
            _block = new MachineBlock(_blockIndex[block]);
            _machine.Blocks.Add(_block);
            foreach (IrInstruction instruction in block.Instructions)
            {
                _source = instruction.Source;
                Select(instruction);
            }
            Terminator terminator = block.Terminator
                ?? throw new ArgumentException($"Block {block.Label} of '{_function.Name}' has no terminator.", nameof(_function));
            _source = terminator.Source;
            _block.Terminator = Select(terminator);
        }
        return _machine;
    }

    static List<BasicBlock> ReversePostorder(BasicBlock entry)
    {
        var visited = new HashSet<BasicBlock> { entry };
        var postorder = new List<BasicBlock>();
        var stack = new Stack<(BasicBlock Block, IEnumerator<BasicBlock> Next)>();
        stack.Push((entry, entry.Successors.GetEnumerator()));
        while (stack.Count > 0)
        {
            var (block, next) = stack.Peek();
            if (next.MoveNext())
            {
                if (visited.Add(next.Current)) stack.Push((next.Current, next.Current.Successors.GetEnumerator()));
                continue;
            }
            stack.Pop();
            postorder.Add(block);
        }
        postorder.Reverse();
        return postorder;
    }

    // ---- emission helpers ----

    MachineInstruction Emit(Instruction template, int dst, int src, int[] defs, int[] uses,
        bool isCopy = false, bool sideEffects = false, StackSlot? slot = null, SlotField field = SlotField.None)
    {
        var instruction = new MachineInstruction
        {
            Template = template, Dst = dst, Src = src,
            Defs = [.. defs.Where(r => r != MachineRegister.FramePointer)],
            Uses = [.. uses.Where(r => r != MachineRegister.FramePointer)],
            IsCopy = isCopy, HasSideEffects = sideEffects, Slot = slot, SlotField = field, Source = _source,
        };
        _block.Code.Add(instruction);
        return instruction;
    }

    void Copy(int dst, int src)
    {
        if (dst == src) return;
        Emit(Instruction.Mov(Register.R0, Register.R0), dst, src, [dst], [src], isCopy: src != MachineRegister.FramePointer);
    }

    /// <summary>A 32-bit <c>wdst = wsrc</c>: zero-extends; never used on a register that may hold a pointer.</summary>
    void Mov32(int dst, int src) =>
        Emit(Instruction.Mov32(Register.R0, Register.R0), dst, src, [dst], [src]);

    /// <summary>dst = constant, in the fewest instructions: mov32 for I32 and for 64-bit values in [2^31, 2^32).</summary>
    void LoadConstant(int dst, long value, ValueKind kind)
    {
        if (kind == ValueKind.I32)
            Emit(Instruction.Mov32(Register.R0, unchecked((int)value)), dst, MachineRegister.None, [dst], []);
        else if (value is >= int.MinValue and <= int.MaxValue)
            Emit(Instruction.Mov(Register.R0, (int)value), dst, MachineRegister.None, [dst], []);
        else if (value is > int.MaxValue and <= uint.MaxValue)
            Emit(Instruction.Mov32(Register.R0, unchecked((int)(uint)value)), dst, MachineRegister.None, [dst], []);
        else
            Emit(Instruction.LoadImm64(Register.R0, value), dst, MachineRegister.None, [dst], []);
    }

    int Temporary(ValueKind kind) => _machine.NewRegister(kind);

    /// <summary>The operand as a register, materialising a constant into a fresh temporary.</summary>
    int InRegister(Operand operand, ValueKind kind)
    {
        if (operand.Register is { } r) return Id(r);
        int t = Temporary(kind);
        LoadConstant(t, operand.Constant, kind);
        return t;
    }

    CompilationErrorException Error(DiagnosticDescriptor descriptor, SourceLocation? location, params object?[] args) =>
        new(Diagnostic.Create(descriptor, location ?? _function.Source, args));
}
