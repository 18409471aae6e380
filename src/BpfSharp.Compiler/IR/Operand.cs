namespace BpfSharp.Compiler.IR;

/// <summary>Either a virtual register or a constant. A constant operand is a 64-bit value; as a 32-bit operand only its low half counts.</summary>
public readonly record struct Operand
{
    Operand(VirtualRegister? register, long constant) { Register = register; Constant = constant; }

    /// <summary>The register, or null for a constant.</summary>
    public VirtualRegister? Register { get; }

    /// <summary>The constant's value when <see cref="IsConstant"/>.</summary>
    public long Constant { get; }

    public bool IsConstant => Register is null;

    public static Operand Of(VirtualRegister register) => new(register ?? throw new ArgumentNullException(nameof(register)), 0);
    public static Operand Of(long constant) => new(null, constant);

    public static implicit operator Operand(VirtualRegister register) => Of(register);

    /// <summary>True when the constant fits the 32-bit sign-extended immediate field of an instruction.</summary>
    public bool FitsImmediate => IsConstant && Constant is >= int.MinValue and <= int.MaxValue;

    public override string ToString() => Register?.ToString() ?? Constant.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
