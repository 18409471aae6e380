namespace BpfSharp.Compiler.IR;

/// <summary>
/// An object in a function's stack frame: a struct local, an address-taken local, a struct argument copy or a
/// temporary buffer. The backend places slots below r10 (8-byte aligned at least) and zeroes them in the
/// prologue when <see cref="ZeroInitialize"/> is set, which is C#'s meaning of locals and keeps the verifier
/// from seeing uninitialised stack bytes (padding) passed to helpers.
/// </summary>
public sealed class StackSlot(int id, int size, int alignment, string? name)
{
    public int Id { get; } = id;
    public int Size { get; } = size;
    public int Alignment { get; } = alignment;
    public string? Name { get; } = name;

    /// <summary>Zero the slot on function entry (C# zero-initialises locals).</summary>
    public bool ZeroInitialize { get; set; } = true;

    public override string ToString() => Name is null ? $"$slot{Id}" : $"$slot{Id}:{Name}";
}
