using BpfSharp.Compiler.IR;

namespace BpfSharp.Compiler.Transforms;

/// <summary>
/// Turns branches with a known outcome (constant operands, the same register twice, both targets equal) into
/// jumps, and puts a lone constant operand on the right where eBPF's immediate goes. Comparisons between two
/// registers stay between two registers (packet bounds checks need that shape).
/// </summary>
public static class BranchFolding
{
    public static bool Run(IrFunction function)
    {
        bool changed = false;
        foreach (BasicBlock b in function.Blocks)
        {
            if (b.Terminator is not BranchTerminator br) continue;
            if (Outcome(br) is { } taken)
            {
                b.Terminator = new JumpTerminator(taken ? br.WhenTrue : br.WhenFalse) { Source = br.Source };
                changed = true;
            }
            else if (br.Left.IsConstant && !br.Right.IsConstant)
            {
                (br.Left, br.Right) = (br.Right, br.Left);
                br.Condition = EbpfArithmetic.Mirror(br.Condition);
                changed = true;
            }
            else if (br.Right.IsConstant && br.Is32 && br.Right.Constant != EbpfArithmetic.Canonical32(br.Right.Constant))
            {
                br.Right = Operand.Of(EbpfArithmetic.Canonical32(br.Right.Constant));
                changed = true;
            }
        }
        return changed;
    }

    static bool? Outcome(BranchTerminator br)
    {
        if (br.WhenTrue == br.WhenFalse) return true;
        if (br.Left.IsConstant && br.Right.IsConstant)
            return EbpfArithmetic.Compare(br.Condition, br.Left.Constant, br.Right.Constant, br.Is32);
        if (br.Left.Register is not null && br.Left == br.Right)
        {
            return br.Condition switch
            {
                Condition.Equal or Condition.UnsignedGreaterOrEqual or Condition.UnsignedLessOrEqual
                    or Condition.SignedGreaterOrEqual or Condition.SignedLessOrEqual => true,
                Condition.NotEqual or Condition.UnsignedGreater or Condition.UnsignedLess
                    or Condition.SignedGreater or Condition.SignedLess => false,
                _ => null,
            };
        }
        return null;
    }
}
