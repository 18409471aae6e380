using BpfSharp.Asm;
using BpfSharp.Compiler.IR;

namespace BpfSharp.Compiler.Transforms;

/// <summary>
/// Within one block, replaces a recomputation of a pure expression (binary, unary, extend) or a reload of the
/// same memory by a copy of the register that already holds it. Kept deliberately small: any store, atomic
/// or call forgets every load; a redefinition of a register forgets every expression that reads or holds it;
/// pointer-producing expressions are never shared, so each pointer keeps the derivation the verifier saw.
/// </summary>
public static class LocalValueNumbering
{
    public static bool Run(IrFunction function)
    {
        bool changed = false;
        foreach (BasicBlock b in function.Blocks) changed |= RunBlock(b);
        return changed;
    }

    static bool RunBlock(BasicBlock block)
    {
        bool changed = false;
        var available = new Dictionary<Key, VirtualRegister>();
        List<IrInstruction> list = block.Instructions;
        for (int k = 0; k < list.Count; k++)
        {
            IrInstruction i = list[k];
            Key? key = KeyOf(i);
            if (key is { } kk && available.TryGetValue(kk, out VirtualRegister? holder) && holder.Kind == i.Destination!.Kind)
            {
                list[k] = i = new MoveInstruction(i.Destination, Operand.Of(holder)) { Source = i.Source };
                changed = true;
                key = null;
            }

            if (i.HasSideEffects)
                foreach (Key stale in available.Keys.Where(x => x.IsLoad).ToList()) available.Remove(stale);
            if (i.Destination is { } d)
                foreach (var kv in available.Where(kv => kv.Value.Id == d.Id || kv.Key.Reads(d)).ToList()) available.Remove(kv.Key);
            if (key is { } fresh && !fresh.Reads(i.Destination!)) available.TryAdd(fresh, i.Destination!);
        }
        return changed;
    }

    static Key? KeyOf(IrInstruction i) => i switch
    {
        BinaryInstruction b when b.Destination.Kind != ValueKind.Ptr => new Key(1, (int)b.Op, b.Is32, b.Left, b.Right, null, 0),
        UnaryInstruction u when u.Destination.Kind != ValueKind.Ptr => new Key(2, (int)u.Op, u.Destination.Is32, u.Value, default, null, 0),
        ExtendInstruction e when e.Destination.Kind != ValueKind.Ptr => new Key(3, e.FromBits * 2 + (e.Signed ? 1 : 0), e.Destination.Is32, e.Value, default, null, 0),
        LoadInstruction l when l.Destination.Kind != ValueKind.Ptr =>
            new Key(4, (int)l.Size * 2 + (l.SignExtend ? 1 : 0), false, l.Address.Pointer is { } p ? Operand.Of(p) : default, default, l.Address.Slot, l.Address.Offset),
        _ => null,
    };

    /// <summary>An expression: its kind (1 binary, 2 unary, 3 extend, 4 load), operator, width and inputs.</summary>
    readonly record struct Key(int Kind, int Op, bool Is32, Operand A, Operand B, StackSlot? Slot, int Offset)
    {
        public bool IsLoad => Kind == 4;
        public bool Reads(VirtualRegister r) => A.Register?.Id == r.Id || B.Register?.Id == r.Id;
    }
}
