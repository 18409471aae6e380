using System.Numerics;
using BpfSharp.Compiler.IR;

namespace BpfSharp.Compiler.Transforms;

/// <summary>
/// Folds operations on constants (with eBPF's semantics) and simplifies algebraic identities (x+0, x*1,
/// x*2^k → shl, unsigned div/mod by 2^k → shift/and, x&amp;0 …). Pointer-producing operations keep their
/// pointer kind: only <c>p ± 0</c> becomes a copy of the same pointer.
/// </summary>
public static class ConstantFolding
{
    public static bool Run(IrFunction function)
    {
        bool changed = false;
        foreach (BasicBlock block in function.Blocks)
        {
            List<IrInstruction> list = block.Instructions;
            for (int k = 0; k < list.Count; k++)
            {
                if (Simplify(list[k]) is not { } replacement) continue;
                changed = true;
                if (replacement is MoveInstruction { Value.Register: { } src } m && src == m.Destination)
                {
                    list.RemoveAt(k--); // x = x
                    continue;
                }
                replacement.Source ??= list[k].Source;
                list[k] = replacement;
            }
        }
        return changed;
    }

    /// <summary>A simpler instruction with the same effect, the same instruction changed in place, or null.</summary>
    static IrInstruction? Simplify(IrInstruction instruction) => instruction switch
    {
        MoveInstruction { Value.Register: { } src } m when src == m.Destination => m,
        MoveInstruction { Value.IsConstant: true } m when m.Destination.Is32 && m.Value.Constant != EbpfArithmetic.Canonical32(m.Value.Constant)
            => new MoveInstruction(m.Destination, Operand.Of(EbpfArithmetic.Canonical32(m.Value.Constant))),
        BinaryInstruction b => SimplifyBinary(b),
        UnaryInstruction { Value.IsConstant: true } u when u.Destination.Kind != ValueKind.Ptr
            && EbpfArithmetic.Unary(u.Op, u.Value.Constant, u.Destination.Is32) is { } v => Constant(u.Destination, v),
        ExtendInstruction { Value.IsConstant: true } e when e.Destination.Kind != ValueKind.Ptr
            && EbpfArithmetic.Extend(e.Value.Constant, e.FromBits, e.Signed, e.Destination.Is32) is { } v => Constant(e.Destination, v),
        _ => null,
    };

    static MoveInstruction Constant(VirtualRegister destination, long value) => new(destination, Operand.Of(value));

    static IrInstruction? SimplifyBinary(BinaryInstruction b)
    {
        VirtualRegister d = b.Destination;
        bool is32 = b.Is32;
        bool pointer = d.Kind == ValueKind.Ptr;

        if (b.Left.IsConstant && b.Right.IsConstant)
            return pointer ? null : EbpfArithmetic.Binary(b.Op, b.Left.Constant, b.Right.Constant, is32) is { } v ? Constant(d, v) : null;

        // Constants on the right, where eBPF's immediate field is.
        if (b.Left.IsConstant && IsCommutative(b.Op))
        {
            (b.Left, b.Right) = (b.Right, b.Left);
            return b;
        }

        // x op x
        if (!pointer && b.Left.Register is { } l && b.Left == b.Right)
        {
            return b.Op switch
            {
                BinaryOp.Sub or BinaryOp.Xor => Constant(d, 0),
                BinaryOp.And or BinaryOp.Or => Copy(d, l),
                _ => null,
            };
        }

        if (!b.Right.IsConstant || b.Left.Register is not { } x) return null;
        long c = EbpfArithmetic.Normalize(b.Right.Constant, is32);
        ulong width = is32 ? uint.MaxValue : ulong.MaxValue;
        ulong uc = (ulong)c & width;

        if (pointer)
            return b.Op is BinaryOp.Add or BinaryOp.Sub && c == 0 ? Copy(d, x) : null;

        switch (b.Op)
        {
            case BinaryOp.Add or BinaryOp.Sub or BinaryOp.Or or BinaryOp.Xor or BinaryOp.Shl or BinaryOp.LShr or BinaryOp.AShr when c == 0:
                return Copy(d, x);
            case BinaryOp.Mul or BinaryOp.UDiv or BinaryOp.SDiv when c == 1:
                return Copy(d, x);
            case BinaryOp.And when uc == width:
                return Copy(d, x);
            case BinaryOp.Mul or BinaryOp.And when c == 0:
                return Constant(d, 0);
            case BinaryOp.UMod or BinaryOp.SMod when c == 1 || (b.Op == BinaryOp.SMod && uc == width):
                return Constant(d, 0); // x % 1 and x % -1 are 0 (eBPF gives 0 for MIN % -1 too)
            case BinaryOp.Mul when BitOperations.IsPow2(uc):
                return new BinaryInstruction(BinaryOp.Shl, d, x, Operand.Of(BitOperations.Log2(uc)));
            case BinaryOp.UDiv when BitOperations.IsPow2(uc):
                return new BinaryInstruction(BinaryOp.LShr, d, x, Operand.Of(BitOperations.Log2(uc)));
            case BinaryOp.UMod when BitOperations.IsPow2(uc) && uc - 1 <= int.MaxValue:
                return new BinaryInstruction(BinaryOp.And, d, x, Operand.Of((long)(uc - 1)));
            case BinaryOp.Sub when c != long.MinValue && (is32 ? c != int.MinValue : true) && c < 0:
                return new BinaryInstruction(BinaryOp.Add, d, x, Operand.Of(EbpfArithmetic.Normalize(-c, is32))); // sub x, -5 → add x, 5
        }
        if (b.Right.Constant != c) { b.Right = Operand.Of(c); return b; }
        return null;
    }

    /// <summary>A copy of <paramref name="source"/> when the kinds allow a plain move, else null (keep the op).</summary>
    static MoveInstruction? Copy(VirtualRegister destination, VirtualRegister source) =>
        source.Kind == destination.Kind ? new MoveInstruction(destination, Operand.Of(source)) : null;

    static bool IsCommutative(BinaryOp op) => op is BinaryOp.Add or BinaryOp.Mul or BinaryOp.And or BinaryOp.Or or BinaryOp.Xor;
}
