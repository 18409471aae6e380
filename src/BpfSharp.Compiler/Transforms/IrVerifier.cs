using BpfSharp.Asm;
using BpfSharp.Compiler.IR;

namespace BpfSharp.Compiler.Transforms;

/// <summary>
/// Checks the invariants every pass must keep: terminated blocks, edges inside the function, registers defined
/// on every path before use, consistent register kinds, call arity and encodable address offsets.
/// </summary>
public static class IrVerifier
{
    const int MaxCallArguments = 5;

    /// <summary>Every problem found, each naming the function and block; empty when the function is well-formed. Never throws.</summary>
    public static IReadOnlyList<string> Verify(IrFunction function)
    {
        ArgumentNullException.ThrowIfNull(function);
        var problems = new List<string>();
        try
        {
            CheckShape(function, problems);
            foreach (BasicBlock b in function.Blocks)
            {
                foreach (IrInstruction i in b.Instructions) CheckInstruction(function, b, i, problems);
                if (b.Terminator is { } t) CheckTerminator(function, b, t, problems);
            }
            CheckDefinitions(function, problems);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            problems.Add($"{function.Name}: the verifier stopped on malformed IR: {e.Message}");
        }
        return problems;
    }

    static void CheckShape(IrFunction f, List<string> problems)
    {
        if (f.Blocks.Count == 0) problems.Add($"{f.Name}: no blocks (the first block is the entry)");
        if (f.Parameters.Count > MaxCallArguments) problems.Add($"{f.Name}: {f.Parameters.Count} parameters, at most {MaxCallArguments} fit r1-r5");
        var members = new HashSet<BasicBlock>(f.Blocks);
        var ids = new HashSet<int>();
        foreach (BasicBlock b in f.Blocks)
        {
            if (!ids.Add(b.Id)) problems.Add($"{f.Name}: two blocks named {b.Label}");
            if (b.Terminator is null) { problems.Add($"{f.Name}/{b.Label}: not terminated"); continue; }
            foreach (BasicBlock s in b.Successors)
                if (!members.Contains(s)) problems.Add($"{f.Name}/{b.Label}: successor {s.Label} is not a block of this function");
        }
        var slots = new HashSet<StackSlot>(f.StackSlots);
        foreach (BasicBlock b in f.Blocks)
            foreach (IrInstruction i in b.Instructions)
                if (SlotOf(i) is { } slot && !slots.Contains(slot))
                    problems.Add($"{f.Name}/{b.Label}: '{i}' uses {slot}, which is not a stack slot of this function");
    }

    static StackSlot? SlotOf(IrInstruction i) => i switch
    {
        StackAddressInstruction s => s.Slot,
        LoadInstruction l => l.Address.Slot,
        StoreInstruction s => s.Address.Slot,
        AtomicInstruction a => a.Address.Slot,
        CompareExchangeInstruction c => c.Address.Slot,
        _ => null,
    };

    static void CheckInstruction(IrFunction f, BasicBlock b, IrInstruction i, List<string> problems)
    {
        void Problem(string what) => problems.Add($"{f.Name}/{b.Label}: '{i}': {what}");

        switch (i)
        {
            case MoveInstruction m:
                if (m.Value.Register is { } src && src.Is32 != m.Destination.Is32)
                    Problem("a move between I32 and a 64-bit kind (use an extend)");
                break;
            case BinaryInstruction bin:
                CheckOperandWidth(bin.Destination, bin.Left, Problem);
                CheckOperandWidth(bin.Destination, bin.Right, Problem);
                break;
            case UnaryInstruction u:
                if (u.Destination.Kind == ValueKind.Ptr) Problem("a pointer cannot be the destination of an arithmetic unary op");
                if (u.Op == UnaryOp.ByteSwap64 && u.Destination.Is32) Problem("a 64-bit byte swap into an I32");
                CheckOperandWidth(u.Destination, u.Value, Problem);
                break;
            case ExtendInstruction e:
                if (e.FromBits is not (8 or 16 or 32)) Problem($"extend from {e.FromBits} bits (8, 16 or 32 only)");
                if (e.Destination.Kind == ValueKind.Ptr) Problem("a pointer cannot be the destination of an extend");
                if (e.Value.Register is { Kind: ValueKind.Ptr }) Problem("a pointer cannot be extended");
                break;
            case LoadInstruction l: CheckAddress(l.Address, l.Size, Problem); break;
            case StoreInstruction s: CheckAddress(s.Address, s.Size, Problem); break;
            case AtomicInstruction a:
                CheckAddress(a.Address, a.Size, Problem);
                if (a.Size is not (MemorySize.Word or MemorySize.DoubleWord)) Problem("atomics are 4 or 8 bytes wide");
                break;
            case CompareExchangeInstruction c:
                CheckAddress(c.Address, c.Size, Problem);
                if (c.Size is not (MemorySize.Word or MemorySize.DoubleWord)) Problem("atomics are 4 or 8 bytes wide");
                break;
            case CallInstruction call:
                if (call.Arguments.Length > MaxCallArguments) Problem($"{call.Arguments.Length} arguments, at most {MaxCallArguments} fit r1-r5");
                break;
        }
    }

    static void CheckOperandWidth(VirtualRegister destination, Operand operand, Action<string> problem)
    {
        if (operand.Register is not { } r) return;
        if (destination.Is32 && !r.Is32) problem($"{r} ({r.Kind}) as the operand of a 32-bit op");
        if (!destination.Is32 && r.Is32) problem($"{r} (I32) as the operand of a 64-bit op (extend it first)");
    }

    static void CheckAddress(Address address, MemorySize size, Action<string> problem)
    {
        if (address.Offset is < short.MinValue or > short.MaxValue) problem($"offset {address.Offset} does not fit 16 bits");
        if (address.Pointer is { } p && p.Kind != ValueKind.Ptr) problem($"{p} ({p.Kind}) used as a pointer");
        if (address.Slot is { } slot && (address.Offset < 0 || address.Offset + size.Bytes() > slot.Size))
            problem($"{size.Bytes()} bytes at offset {address.Offset} fall outside {slot} ({slot.Size} bytes)");
    }

    static void CheckTerminator(IrFunction f, BasicBlock b, Terminator t, List<string> problems)
    {
        void Problem(string what) => problems.Add($"{f.Name}/{b.Label}: '{t}': {what}");
        switch (t)
        {
            case BranchTerminator br:
                foreach (Operand o in br.Uses)
                {
                    if (o.Register is not { } r) continue;
                    if (br.Is32 && r.Kind == ValueKind.Ptr) Problem($"a pointer {r} in a 32-bit comparison");
                    if (!br.Is32 && r.Is32) Problem($"{r} (I32) in a 64-bit comparison");
                }
                break;
            case ReturnTerminator ret:
                if (ret.Value is { } v && f.ReturnKind is null) Problem("a value returned from a void function");
                if (ret.Value is null && f.ReturnKind is not null) Problem($"no value returned from a function returning {f.ReturnKind}");
                if (ret.Value is { Register: { } rr } && f.ReturnKind is { } k && rr.Is32 != (k == ValueKind.I32))
                    Problem($"{rr} ({rr.Kind}) returned from a function returning {k}");
                break;
        }
    }

    /// <summary>Forward must-analysis: a register is defined at a point when every path from the entry defines it.</summary>
    static void CheckDefinitions(IrFunction f, List<string> problems)
    {
        if (f.Blocks.Count == 0 || f.Blocks.Any(b => b.Terminator is null)) return;
        int capacity = RegisterSet.CapacityFor(f);
        List<BasicBlock> order = ControlFlow.ReversePostOrder(f);
        var preds = ControlFlow.Predecessors(f);
        var outSets = new Dictionary<BasicBlock, RegisterSet>();
        foreach (BasicBlock b in order) outSets[b] = new RegisterSet(capacity, full: true);
        var entryIn = new RegisterSet(capacity);
        foreach (VirtualRegister p in f.Parameters) entryIn.Add(p);

        var inSets = new Dictionary<BasicBlock, RegisterSet>();
        bool changed = true;
        while (changed)
        {
            changed = false;
            foreach (BasicBlock b in order)
            {
                RegisterSet inSet = b == f.Blocks[0] ? entryIn.Clone() : new RegisterSet(capacity, full: true);
                foreach (BasicBlock p in preds[b])
                    if (outSets.TryGetValue(p, out RegisterSet? pOut)) inSet.IntersectWith(pOut);
                inSets[b] = inSet;
                RegisterSet outSet = inSet.Clone();
                foreach (IrInstruction i in b.Instructions) if (i.Destination is { } d) outSet.Add(d);
                if (!outSet.Equals(outSets[b])) { outSets[b] = outSet; changed = true; }
            }
        }

        foreach (BasicBlock b in order)
        {
            RegisterSet defined = inSets[b];
            foreach (IrInstruction i in b.Instructions)
            {
                foreach (Operand o in i.Uses)
                    if (o.Register is { } r && !defined.Contains(r))
                        problems.Add($"{f.Name}/{b.Label}: '{i}' reads {r}, which some path from the entry leaves undefined");
                if (i.Destination is { } d) defined.Add(d);
            }
            foreach (Operand o in b.Terminator!.Uses)
                if (o.Register is { } r && !defined.Contains(r))
                    problems.Add($"{f.Name}/{b.Label}: '{b.Terminator}' reads {r}, which some path from the entry leaves undefined");
        }
    }
}
