using System.Buffers.Binary;
using BpfSharp.Compiler.IR;

namespace BpfSharp.Compiler.Transforms;

/// <summary>
/// Compile-time evaluation with the meaning eBPF gives each operation at run time. 32-bit results are returned
/// in canonical form: the low half sign-extended (<see cref="Canonical32"/>), since only those bits count.
/// </summary>
public static class EbpfArithmetic
{
    /// <summary>The low 32 bits of <paramref name="value"/>, sign-extended: the one spelling of an I32 constant.</summary>
    public static long Canonical32(long value) => (int)value;

    /// <summary>A constant as the operand of an operation of the given width.</summary>
    public static long Normalize(long value, bool is32) => is32 ? Canonical32(value) : value;

    /// <summary><c>a op b</c>, or null when folding is not wanted (a shift count not below the width).</summary>
    public static long? Binary(BinaryOp op, long a, long b, bool is32) => is32 ? Binary32(op, (uint)a, (uint)b) : Binary64(op, a, b);

    static long? Binary32(BinaryOp op, uint a, uint b)
    {
        int sa = (int)a, sb = (int)b;
        uint? r = op switch
        {
            BinaryOp.Add => a + b,
            BinaryOp.Sub => a - b,
            BinaryOp.Mul => a * b,
            BinaryOp.UDiv => b == 0 ? 0 : a / b,
            BinaryOp.UMod => b == 0 ? a : a % b,
            BinaryOp.SDiv => sb == 0 ? 0 : sb == -1 ? unchecked((uint)(0 - sa)) : (uint)(sa / sb),
            BinaryOp.SMod => sb == 0 ? a : sb == -1 ? 0 : (uint)(sa % sb),
            BinaryOp.And => a & b,
            BinaryOp.Or => a | b,
            BinaryOp.Xor => a ^ b,
            BinaryOp.Shl => b < 32 ? a << (int)b : null,
            BinaryOp.LShr => b < 32 ? a >> (int)b : null,
            BinaryOp.AShr => b < 32 ? (uint)(sa >> (int)b) : null,
            _ => null,
        };
        return r is { } v ? (int)v : null;
    }

    static long? Binary64(BinaryOp op, long a, long b)
    {
        ulong ua = (ulong)a, ub = (ulong)b;
        return op switch
        {
            BinaryOp.Add => unchecked(a + b),
            BinaryOp.Sub => unchecked(a - b),
            BinaryOp.Mul => unchecked(a * b),
            BinaryOp.UDiv => ub == 0 ? 0 : (long)(ua / ub),
            BinaryOp.UMod => ub == 0 ? a : (long)(ua % ub),
            // MIN / -1 wraps to MIN in eBPF (and MIN % -1 is 0) where .NET would throw.
            BinaryOp.SDiv => b == 0 ? 0 : b == -1 ? unchecked(0 - a) : a / b,
            BinaryOp.SMod => b == 0 ? a : b == -1 ? 0 : a % b,
            BinaryOp.And => a & b,
            BinaryOp.Or => a | b,
            BinaryOp.Xor => a ^ b,
            BinaryOp.Shl => ub < 64 ? a << (int)ub : null,
            BinaryOp.LShr => ub < 64 ? (long)(ua >> (int)ub) : null,
            BinaryOp.AShr => ub < 64 ? a >> (int)ub : null,
            _ => null,
        };
    }

    /// <summary><c>op a</c>; byte swaps zero-extend their result from the swapped width.</summary>
    public static long? Unary(UnaryOp op, long a, bool is32)
    {
        long? r = op switch
        {
            UnaryOp.Neg => unchecked(0 - a),
            UnaryOp.Not => ~a,
            UnaryOp.ByteSwap16 => BinaryPrimitives.ReverseEndianness((ushort)a),
            UnaryOp.ByteSwap32 => BinaryPrimitives.ReverseEndianness((uint)a),
            UnaryOp.ByteSwap64 => is32 ? null : (long)BinaryPrimitives.ReverseEndianness((ulong)a),
            _ => null,
        };
        return r is { } v ? Normalize(v, is32) : null;
    }

    /// <summary>The low <paramref name="fromBits"/> bits of <paramref name="a"/>, sign- or zero-extended.</summary>
    public static long? Extend(long a, int fromBits, bool signed, bool is32)
    {
        long? r = (fromBits, signed) switch
        {
            (8, true) => (sbyte)a,
            (8, false) => (byte)a,
            (16, true) => (short)a,
            (16, false) => (ushort)a,
            (32, true) => (int)a,
            (32, false) => (uint)a,
            _ => null,
        };
        return r is { } v ? Normalize(v, is32) : null;
    }

    /// <summary>Whether <c>a cond b</c> holds at the given width.</summary>
    public static bool Compare(Condition condition, long a, long b, bool is32)
    {
        ulong ua = is32 ? (uint)a : (ulong)a, ub = is32 ? (uint)b : (ulong)b;
        long sa = is32 ? (int)a : a, sb = is32 ? (int)b : b;
        return condition switch
        {
            Condition.Equal => ua == ub,
            Condition.NotEqual => ua != ub,
            Condition.UnsignedGreater => ua > ub,
            Condition.UnsignedGreaterOrEqual => ua >= ub,
            Condition.UnsignedLess => ua < ub,
            Condition.UnsignedLessOrEqual => ua <= ub,
            Condition.SignedGreater => sa > sb,
            Condition.SignedGreaterOrEqual => sa >= sb,
            Condition.SignedLess => sa < sb,
            Condition.SignedLessOrEqual => sa <= sb,
            Condition.BitsSet => (ua & ub) != 0,
            _ => throw new ArgumentOutOfRangeException(nameof(condition)),
        };
    }

    /// <summary>The condition that holds for <c>b ? a</c> exactly when <paramref name="condition"/> holds for <c>a ? b</c>.</summary>
    public static Condition Mirror(Condition condition) => condition switch
    {
        Condition.UnsignedGreater => Condition.UnsignedLess,
        Condition.UnsignedGreaterOrEqual => Condition.UnsignedLessOrEqual,
        Condition.UnsignedLess => Condition.UnsignedGreater,
        Condition.UnsignedLessOrEqual => Condition.UnsignedGreaterOrEqual,
        Condition.SignedGreater => Condition.SignedLess,
        Condition.SignedGreaterOrEqual => Condition.SignedLessOrEqual,
        Condition.SignedLess => Condition.SignedGreater,
        Condition.SignedLessOrEqual => Condition.SignedGreaterOrEqual,
        _ => condition, // Equal, NotEqual and BitsSet are symmetric
    };
}
