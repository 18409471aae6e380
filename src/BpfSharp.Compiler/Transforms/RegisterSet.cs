using BpfSharp.Compiler.IR;

namespace BpfSharp.Compiler.Transforms;

/// <summary>A set of virtual register ids as a bit vector, for the dataflow analyses.</summary>
public sealed class RegisterSet : IEquatable<RegisterSet>
{
    readonly ulong[] _bits;

    public RegisterSet(int capacity, bool full = false)
    {
        _bits = new ulong[(capacity + 63) / 64];
        if (full) Array.Fill(_bits, ulong.MaxValue);
    }

    RegisterSet(ulong[] bits) => _bits = bits;

    public RegisterSet Clone() => new((ulong[])_bits.Clone());

    public bool Contains(int id) => (uint)id < (uint)(_bits.Length * 64) && (_bits[id >> 6] & (1UL << id)) != 0;
    public bool Contains(VirtualRegister r) => Contains(r.Id);
    public void Add(int id) => _bits[id >> 6] |= 1UL << id;
    public void Add(VirtualRegister r) => Add(r.Id);
    public void Remove(int id) => _bits[id >> 6] &= ~(1UL << id);
    public void Remove(VirtualRegister r) => Remove(r.Id);

    public void UnionWith(RegisterSet other) { for (int i = 0; i < _bits.Length; i++) _bits[i] |= other._bits[i]; }
    public void IntersectWith(RegisterSet other) { for (int i = 0; i < _bits.Length; i++) _bits[i] &= other._bits[i]; }

    public bool Equals(RegisterSet? other) => other is not null && _bits.AsSpan().SequenceEqual(other._bits);
    public override bool Equals(object? obj) => Equals(obj as RegisterSet);
    public override int GetHashCode() => _bits.Length;

    /// <summary>One more than the highest register id the function uses (ids may exceed RegisterCount in hand-built IR).</summary>
    public static int CapacityFor(IrFunction function)
    {
        int max = function.RegisterCount;
        foreach (VirtualRegister p in function.Parameters) max = Math.Max(max, p.Id + 1);
        foreach (BasicBlock b in function.Blocks)
        {
            foreach (IrInstruction i in b.Instructions)
            {
                if (i.Destination is { } d) max = Math.Max(max, d.Id + 1);
                foreach (Operand o in i.Uses) if (o.Register is { } r) max = Math.Max(max, r.Id + 1);
            }
            if (b.Terminator is { } t)
                foreach (Operand o in t.Uses) if (o.Register is { } r) max = Math.Max(max, r.Id + 1);
        }
        return max;
    }
}
