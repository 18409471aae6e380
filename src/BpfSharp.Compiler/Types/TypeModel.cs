namespace BpfSharp.Compiler.Types;

/// <summary>
/// A C# type as the compiler sees it: resolved from metadata (generic arguments substituted), with the
/// layout the CLR gives it. Instances are interned by <see cref="TypeSystem"/>, so reference equality is type equality.
/// </summary>
public abstract class TypeModel
{
    /// <summary>The C# name for messages, e.g. <c>Pair&lt;uint, ulong&gt;</c> or <c>byte*</c>.</summary>
    public abstract string DisplayName { get; }

    /// <summary>Size in bytes as the CLR lays the type out (8 for pointers and refs).</summary>
    public abstract int Size { get; }

    /// <summary>Alignment in bytes as the CLR lays the type out.</summary>
    public abstract int Alignment { get; }

    /// <summary>The register class a value of this type occupies when it fits in a register, or null (structs).</summary>
    public abstract IR.ValueKind? RegisterKind { get; }

    public override string ToString() => DisplayName;
}

/// <summary>The primitive kinds eBPF can hold; floating point is present only so it can be rejected with a diagnostic.</summary>
public enum PrimitiveKind
{
    Void, Bool, Char, SByte, Byte, Int16, UInt16, Int32, UInt32, Int64, UInt64, IntPtr, UIntPtr, Single, Double,
}

/// <summary>bool, char, the integers, nint/nuint, void, and float/double (rejected wherever used).</summary>
public sealed class PrimitiveType : TypeModel
{
    public PrimitiveType(PrimitiveKind kind) => Kind = kind;

    public PrimitiveKind Kind { get; }

    public override string DisplayName => Kind switch
    {
        PrimitiveKind.Void => "void", PrimitiveKind.Bool => "bool", PrimitiveKind.Char => "char",
        PrimitiveKind.SByte => "sbyte", PrimitiveKind.Byte => "byte", PrimitiveKind.Int16 => "short",
        PrimitiveKind.UInt16 => "ushort", PrimitiveKind.Int32 => "int", PrimitiveKind.UInt32 => "uint",
        PrimitiveKind.Int64 => "long", PrimitiveKind.UInt64 => "ulong", PrimitiveKind.IntPtr => "nint",
        PrimitiveKind.UIntPtr => "nuint", PrimitiveKind.Single => "float", PrimitiveKind.Double => "double",
        _ => Kind.ToString(),
    };

    public override int Size => Kind switch
    {
        PrimitiveKind.Void => 0,
        PrimitiveKind.Bool or PrimitiveKind.SByte or PrimitiveKind.Byte => 1,
        PrimitiveKind.Char or PrimitiveKind.Int16 or PrimitiveKind.UInt16 => 2,
        PrimitiveKind.Int32 or PrimitiveKind.UInt32 or PrimitiveKind.Single => 4,
        _ => 8,
    };

    public override int Alignment => Math.Max(1, Size);

    /// <summary>True for sbyte, short, int, long, nint.</summary>
    public bool IsSigned => Kind is PrimitiveKind.SByte or PrimitiveKind.Int16 or PrimitiveKind.Int32
        or PrimitiveKind.Int64 or PrimitiveKind.IntPtr;

    /// <summary>True for float and double.</summary>
    public bool IsFloatingPoint => Kind is PrimitiveKind.Single or PrimitiveKind.Double;

    public override IR.ValueKind? RegisterKind => Kind switch
    {
        PrimitiveKind.Void or PrimitiveKind.Single or PrimitiveKind.Double => null,
        PrimitiveKind.Int64 or PrimitiveKind.UInt64 => IR.ValueKind.I64,
        PrimitiveKind.IntPtr or PrimitiveKind.UIntPtr => IR.ValueKind.I64,
        _ => IR.ValueKind.I32,
    };
}

/// <summary>An enum: its underlying integer type and its members in declaration order.</summary>
public sealed class EnumType(string name, string @namespace, PrimitiveType underlying, IReadOnlyList<EnumMember> members) : TypeModel
{
    /// <summary>The simple C# name (nested types: <c>Outer.Inner</c>).</summary>
    public string Name { get; } = name;
    public string Namespace { get; } = @namespace;
    public PrimitiveType Underlying { get; } = underlying;
    public IReadOnlyList<EnumMember> Members { get; } = members;
    public override string DisplayName => Name;
    public override int Size => Underlying.Size;
    public override int Alignment => Underlying.Alignment;
    public override IR.ValueKind? RegisterKind => Underlying.RegisterKind;
}

/// <summary>One enum member; <paramref name="Value"/> holds the bits of the constant (sign-extended for signed enums).</summary>
public sealed record EnumMember(string Name, long Value);

/// <summary>How a struct's fields were placed.</summary>
public enum StructLayoutKind { Sequential, Explicit, Auto }

/// <summary>
/// A value type with fields (also generic instantiations, fixed-buffer helper structs and <c>[InlineArray]</c> structs).
/// Fields are filled in after construction so that recursive references can be represented.
/// </summary>
public sealed class StructType : TypeModel
{
    public StructType(string name, string @namespace, IReadOnlyList<TypeModel> typeArguments)
    {
        Name = name;
        Namespace = @namespace;
        TypeArguments = typeArguments;
    }

    /// <summary>The simple C# name without arity (nested types: <c>Outer.Inner</c>).</summary>
    public string Name { get; }
    public string Namespace { get; }
    public IReadOnlyList<TypeModel> TypeArguments { get; }

    /// <summary>Instance fields in declaration order, with their CLR offsets.</summary>
    public IReadOnlyList<FieldModel> Fields { get; internal set; } = [];

    public StructLayoutKind LayoutKind { get; internal set; }

    /// <summary>The <c>Pack</c> of <c>[StructLayout]</c>, or 0 when not given.</summary>
    public int Pack { get; internal set; }

    /// <summary>For <c>[InlineArray(N)]</c> structs: N (the single field repeats N times); otherwise 0.</summary>
    public int InlineArrayLength { get; internal set; }

    /// <summary>
    /// For the compiler-generated struct behind a C# <c>fixed</c> buffer: the element type and count; the
    /// field that holds it is <see cref="FieldModel.FixedBuffer"/>.
    /// </summary>
    public (TypeModel Element, int Length)? FixedBuffer { get; internal set; }

    /// <summary>The full name of a BpfSharp.Kernel type the compiler treats specially (maps, contexts), else null.</summary>
    public string? KernelName { get; internal set; }

    internal int SizeValue, AlignmentValue;

    public override string DisplayName => TypeArguments.Count == 0
        ? Name
        : $"{Name}<{string.Join(", ", TypeArguments.Select(t => t.DisplayName))}>";

    public override int Size => SizeValue;
    public override int Alignment => AlignmentValue;
    public override IR.ValueKind? RegisterKind => null;
}

/// <summary>An instance field of a struct.</summary>
/// <param name="Name">The field name as written (backing fields of auto-properties keep their compiler name).</param>
/// <param name="Type">The field type; for a <c>fixed</c> buffer the generated struct.</param>
/// <param name="Offset">Byte offset from the start of the struct.</param>
public sealed record FieldModel(string Name, TypeModel Type, int Offset)
{
    /// <summary>For a C# <c>fixed T name[N]</c> field: T and N.</summary>
    public (TypeModel Element, int Length)? FixedBuffer { get; init; }
}

/// <summary>An unmanaged pointer <c>T*</c> (also <c>void*</c>) or a function pointer (<see cref="Element"/> is void).</summary>
public sealed class PointerType(TypeModel element, bool isFunctionPointer = false) : TypeModel
{
    public TypeModel Element { get; } = element;
    public bool IsFunctionPointer { get; } = isFunctionPointer;
    public override string DisplayName => IsFunctionPointer ? "delegate*" : Element.DisplayName + "*";
    public override int Size => 8;
    public override int Alignment => 8;
    public override IR.ValueKind? RegisterKind => IR.ValueKind.Ptr;
}

/// <summary>A managed reference <c>ref T</c> / <c>in T</c> / <c>out T</c>: in eBPF a pointer like any other.</summary>
public sealed class ByRefType(TypeModel element) : TypeModel
{
    public TypeModel Element { get; } = element;
    public override string DisplayName => "ref " + Element.DisplayName;
    public override int Size => 8;
    public override int Alignment => 8;
    public override IR.ValueKind? RegisterKind => IR.ValueKind.Ptr;
}

/// <summary>
/// A reference type. Only BpfSharp.Kernel map classes (held in <c>[Map]</c> static fields) are usable in a
/// program, as the map pointer; any other class, string or array is rejected where it is used.
/// </summary>
public sealed class ClassType(string name, string @namespace, IReadOnlyList<TypeModel> typeArguments, string? kernelName) : TypeModel
{
    public string Name { get; } = name;
    public string Namespace { get; } = @namespace;
    public IReadOnlyList<TypeModel> TypeArguments { get; } = typeArguments;

    /// <summary>The full name without arity of a BpfSharp.Kernel type (e.g. <c>BpfSharp.Kernel.HashMap</c>), else null.</summary>
    public string? KernelName { get; } = kernelName;

    public override string DisplayName => TypeArguments.Count == 0
        ? Name
        : $"{Name}<{string.Join(", ", TypeArguments.Select(t => t.DisplayName))}>";

    public override int Size => 8;
    public override int Alignment => 8;
    public override IR.ValueKind? RegisterKind => IR.ValueKind.Ptr;
}
