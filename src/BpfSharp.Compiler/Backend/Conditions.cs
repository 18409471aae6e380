using BpfSharp.Asm;
using BpfSharp.Compiler.IR;

namespace BpfSharp.Compiler.Backend;

/// <summary>Branch conditions: the eBPF jump for each, the swapped and the negated form, constant folding.</summary>
internal static class Conditions
{
    public static JumpOp ToJumpOp(Condition condition) => condition switch
    {
        Condition.Equal => JumpOp.Equal,
        Condition.NotEqual => JumpOp.NotEqual,
        Condition.UnsignedGreater => JumpOp.Greater,
        Condition.UnsignedGreaterOrEqual => JumpOp.GreaterOrEqual,
        Condition.UnsignedLess => JumpOp.Less,
        Condition.UnsignedLessOrEqual => JumpOp.LessOrEqual,
        Condition.SignedGreater => JumpOp.SignedGreater,
        Condition.SignedGreaterOrEqual => JumpOp.SignedGreaterOrEqual,
        Condition.SignedLess => JumpOp.SignedLess,
        Condition.SignedLessOrEqual => JumpOp.SignedLessOrEqual,
        _ => JumpOp.BitsSet,
    };

    /// <summary>The condition with its operands exchanged: <c>a &lt; b</c> is <c>b &gt; a</c>.</summary>
    public static Condition Swapped(Condition condition) => condition switch
    {
        Condition.UnsignedGreater => Condition.UnsignedLess,
        Condition.UnsignedGreaterOrEqual => Condition.UnsignedLessOrEqual,
        Condition.UnsignedLess => Condition.UnsignedGreater,
        Condition.UnsignedLessOrEqual => Condition.UnsignedGreaterOrEqual,
        Condition.SignedGreater => Condition.SignedLess,
        Condition.SignedGreaterOrEqual => Condition.SignedLessOrEqual,
        Condition.SignedLess => Condition.SignedGreater,
        Condition.SignedLessOrEqual => Condition.SignedGreaterOrEqual,
        _ => condition,
    };

    /// <summary>The opposite condition, or null for <see cref="Condition.BitsSet"/> (eBPF has no "bits clear" jump).</summary>
    public static Condition? Negated(Condition condition) => condition switch
    {
        Condition.Equal => Condition.NotEqual,
        Condition.NotEqual => Condition.Equal,
        Condition.UnsignedGreater => Condition.UnsignedLessOrEqual,
        Condition.UnsignedGreaterOrEqual => Condition.UnsignedLess,
        Condition.UnsignedLess => Condition.UnsignedGreaterOrEqual,
        Condition.UnsignedLessOrEqual => Condition.UnsignedGreater,
        Condition.SignedGreater => Condition.SignedLessOrEqual,
        Condition.SignedGreaterOrEqual => Condition.SignedLess,
        Condition.SignedLess => Condition.SignedGreaterOrEqual,
        Condition.SignedLessOrEqual => Condition.SignedGreater,
        _ => null,
    };

    public static bool Evaluate(Condition condition, long left, long right, bool is32)
    {
        if (is32) { left = (int)left; right = (int)right; }
        ulong ul = is32 ? (uint)left : (ulong)left, ur = is32 ? (uint)right : (ulong)right;
        return condition switch
        {
            Condition.Equal => ul == ur,
            Condition.NotEqual => ul != ur,
            Condition.UnsignedGreater => ul > ur,
            Condition.UnsignedGreaterOrEqual => ul >= ur,
            Condition.UnsignedLess => ul < ur,
            Condition.UnsignedLessOrEqual => ul <= ur,
            Condition.SignedGreater => left > right,
            Condition.SignedGreaterOrEqual => left >= right,
            Condition.SignedLess => left < right,
            Condition.SignedLessOrEqual => left <= right,
            _ => (ul & ur) != 0,
        };
    }
}
