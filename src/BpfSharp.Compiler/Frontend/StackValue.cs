using BpfSharp.Compiler.IR;
using BpfSharp.Compiler.Metadata;
using BpfSharp.Compiler.Types;

namespace BpfSharp.Compiler.Frontend;

/// <summary>
/// A value on the IL evaluation stack while translating. Besides registers and constants, some values stay
/// symbolic until used, so that the IR keeps the shapes the verifier understands: addresses (base + constant
/// offset, folded into load/store offsets), comparisons (branched on directly), struct values (copied only where
/// they land), maps and strings.
/// </summary>
internal abstract record StackValue(TypeModel Type);

internal sealed record RegisterValue(VirtualRegister Register, TypeModel Type) : StackValue(Type);

/// <summary>A constant; for 32-bit types only the low half is meaningful.</summary>
internal sealed record ConstantValue(long Value, TypeModel Type) : StackValue(Type);

/// <summary>An address: a pointer register or stack slot plus a constant offset. Type is the pointer or ref type.</summary>
internal sealed record AddressValue(Address Address, TypeModel Type) : StackValue(Type);

/// <summary>A comparison not yet materialised (a bool).</summary>
internal sealed record ComparisonValue(Condition Condition, Operand Left, Operand Right, bool Is32, TypeModel Type) : StackValue(Type);

/// <summary>A struct value that still lives at <see cref="Source"/>; copied when stored.</summary>
internal sealed record StructValue(Address Source, StructType StructType) : StackValue(StructType);

/// <summary>A map: the <c>[Map]</c> field's value.</summary>
internal sealed record MapValue(string MapName, TypeModel Type) : StackValue(Type);

/// <summary>A string literal (<c>ldstr</c>): usable only as a constant argument.</summary>
internal sealed record StringValue(string Text, TypeModel Type) : StackValue(Type);

/// <summary>An exception object being constructed for <c>throw</c>.</summary>
internal sealed record ExceptionValue(string ExceptionType, TypeModel Type) : StackValue(Type);

/// <summary>A function pointer from <c>ldftn</c>.</summary>
internal sealed record FunctionValue(MethodReference Method, TypeModel Type) : StackValue(Type);
