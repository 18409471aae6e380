using BpfSharp.Abi;
using BpfSharp.Asm;
using BpfSharp.Compiler.Types;

namespace BpfSharp.Compiler.IR;

/// <summary>One <c>[BpfModule]</c> class lowered to IR: its programs and subprograms, maps and global variables.</summary>
public sealed class IrModule(string name)
{
    /// <summary>The module's name (the C# class name); the object file is <c>NAME.bpf.o</c>.</summary>
    public string Name { get; } = name;

    /// <summary>The <c>license</c> section's text, e.g. <c>GPL</c>.</summary>
    public string License { get; set; } = "GPL";

    /// <summary>The module class's full C# name.</summary>
    public string? ClassName { get; set; }

    public List<IrFunction> Functions { get; } = [];
    public List<MapDeclaration> Maps { get; } = [];
    public List<GlobalVariable> Globals { get; } = [];

    /// <summary>Kfuncs the functions call, by name (extern FUNCs in the object's BTF), with their C# signatures.</summary>
    public Dictionary<string, FunctionSignature> Kfuncs { get; } = new(StringComparer.Ordinal);
}

/// <summary>A <c>[Map]</c> static field: a BTF-defined map in <c>.maps</c>.</summary>
public sealed record MapDeclaration(string Name, BpfMapType Type)
{
    /// <summary>The key type, or null for maps without a key (array-like maps use <c>uint</c>; ring buffers none).</summary>
    public TypeModel? Key { get; init; }
    public TypeModel? Value { get; init; }
    public uint MaxEntries { get; init; }
    public uint Flags { get; init; }
    public ulong MapExtra { get; init; }
    public uint NumaNode { get; init; }
    /// <summary>libbpf's <c>pinning</c>: 0 none, 1 by name.</summary>
    public uint Pinning { get; init; }
    /// <summary>For map-in-map: the inner map's definition.</summary>
    public MapDeclaration? Inner { get; init; }
    /// <summary>The C# field's declaration, for diagnostics.</summary>
    public SourceLocation? Source { get; init; }
    /// <summary>The C# field type, e.g. <c>HashMap&lt;uint, ulong&gt;</c>, for messages.</summary>
    public string? ClrTypeName { get; init; }
}

/// <summary>Where a global variable lives.</summary>
public enum GlobalSection
{
    /// <summary><c>.rodata</c>: <c>static readonly</c> fields; set from user space before load, frozen after.</summary>
    ReadOnly,
    /// <summary><c>.data</c>: mutable statics with a non-zero initial value.</summary>
    Data,
    /// <summary><c>.bss</c>: mutable statics that start at zero.</summary>
    Bss,
}

/// <summary>A static field of a module (not a map): a variable in a data section, visible to user space by name.</summary>
public sealed record GlobalVariable(string Name, TypeModel Type, GlobalSection Section, byte[] InitialValue)
{
    public SourceLocation? Source { get; init; }
}
