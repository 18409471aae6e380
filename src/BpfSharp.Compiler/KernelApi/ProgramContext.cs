using BpfSharp.Compiler.Types;

namespace BpfSharp.Compiler.KernelApi;

/// <summary>
/// The parameter a program kind takes: none, or one pointer/<c>ref</c> to its context. <c>void*</c> is always
/// accepted; beyond that, the listed BpfSharp.Kernel structs, <c>ulong*</c> when <see cref="AcceptsUInt64Pointer"/>,
/// or any struct when <see cref="AcceptsAnyStruct"/> (tracepoint formats, syscall arguments).
/// </summary>
/// <param name="Description">For BPF0401: what the program takes, e.g. <c>`XdpMd*` or `ref XdpMd`</c>.</param>
/// <param name="KernelStructs">Full names of the accepted BpfSharp.Kernel structs.</param>
public sealed record ProgramContext(string Description, IReadOnlyList<string> KernelStructs, bool AcceptsAnyStruct = false, bool AcceptsUInt64Pointer = false)
{
    /// <summary>The context of kinds BpfSharp has no struct for: <c>void*</c> or a pointer to any struct.</summary>
    public static ProgramContext Opaque { get; } = new("`void*` (or a pointer to a struct with the kernel's context layout)", [], AcceptsAnyStruct: true);

    /// <summary>True when a program with these parameters can receive this context in r1.</summary>
    public bool Accepts(IReadOnlyList<TypeModel> parameters) => parameters.Count switch
    {
        0 => true,
        1 => AcceptsParameter(parameters[0]),
        _ => false,
    };

    bool AcceptsParameter(TypeModel type)
    {
        TypeModel? target = type switch
        {
            PointerType { IsFunctionPointer: false } p => p.Element,
            ByRefType r => r.Element,
            _ => null,
        };
        return target switch
        {
            PrimitiveType { Kind: PrimitiveKind.Void } => type is PointerType,
            PrimitiveType { Kind: PrimitiveKind.UInt64 } => AcceptsUInt64Pointer && type is PointerType,
            StructType s => AcceptsAnyStruct || KernelStructs.Contains(s.Namespace + "." + s.Name),
            _ => false,
        };
    }
}
