namespace BpfSharp.Compiler.IR;

/// <summary>
/// A memory address: a pointer register plus a constant offset, or a stack slot plus a constant offset
/// (which the backend turns into an r10-relative access).
/// </summary>
public readonly record struct Address
{
    Address(VirtualRegister? pointer, StackSlot? slot, int offset) { Pointer = pointer; Slot = slot; Offset = offset; }

    public VirtualRegister? Pointer { get; }
    public StackSlot? Slot { get; }

    /// <summary>Byte offset from the pointer or the slot's start; must fit in 16 bits after the backend adds the slot's frame offset.</summary>
    public int Offset { get; }

    public static Address At(VirtualRegister pointer, int offset = 0) => new(pointer ?? throw new ArgumentNullException(nameof(pointer)), null, offset);
    public static Address At(StackSlot slot, int offset = 0) => new(null, slot ?? throw new ArgumentNullException(nameof(slot)), offset);

    public Address WithOffset(int extra) => new(Pointer, Slot, Offset + extra);

    public override string ToString()
    {
        string b = Pointer?.ToString() ?? Slot!.ToString();
        return Offset == 0 ? $"[{b}]" : Offset > 0 ? $"[{b}+{Offset}]" : $"[{b}{Offset}]";
    }
}
