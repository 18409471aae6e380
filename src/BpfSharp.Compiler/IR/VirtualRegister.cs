namespace BpfSharp.Compiler.IR;

/// <summary>A value of an <see cref="IrFunction"/>; the backend assigns it to r0–r9 or a stack slot.</summary>
/// <param name="Id">Unique within its function; dense from 0.</param>
/// <param name="Kind">The register class.</param>
/// <param name="Name">A debugging name (the C# local or parameter), or null.</param>
public sealed record VirtualRegister(int Id, ValueKind Kind, string? Name = null)
{
    public override string ToString() => Name is null ? $"%{Id}" : $"%{Id}:{Name}";

    /// <summary>True when the register is 32 bits wide.</summary>
    public bool Is32 => Kind == ValueKind.I32;
}
