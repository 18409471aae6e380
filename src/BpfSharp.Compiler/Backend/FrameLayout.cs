using BpfSharp.Compiler.IR;

namespace BpfSharp.Compiler.Backend;

/// <summary>
/// Places stack slots below r10: the function's objects in declaration order, then spill slots, each at an
/// offset aligned to max(8, alignment) and owning its size rounded up to 8 (so zeroing in 8-byte stores
/// touches no neighbour).
/// </summary>
internal sealed class FrameLayout
{
    readonly Dictionary<StackSlot, int> _offsets = [];

    /// <summary>The bytes of stack the frame needs.</summary>
    public int Size { get; }

    public FrameLayout(IEnumerable<StackSlot> slots)
    {
        int top = 0;
        foreach (StackSlot slot in slots)
        {
            int alignment = Math.Max(8, slot.Alignment);
            top = AlignUp(top + Math.Max(slot.Size, 0), alignment);
            _offsets[slot] = -top;
        }
        Size = top;
    }

    /// <summary>The slot's start as an offset from r10 (negative).</summary>
    public int OffsetOf(StackSlot slot) =>
        _offsets.TryGetValue(slot, out int offset) ? offset
        : throw new ArgumentException($"Stack slot {slot} is not in the function's StackSlots.");

    static int AlignUp(int value, int alignment) => (value + alignment - 1) / alignment * alignment;
}
