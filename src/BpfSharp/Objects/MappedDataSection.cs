using BpfSharp.Maps;

namespace BpfSharp.Objects;

/// <summary>
/// A global-data section of a loaded object (<c>.data</c>, <c>.bss</c>, <c>.rodata</c>, <c>.data.NAME</c> …) mapped into
/// this process: the same memory the object's programs read and write, so a read here sees what a program wrote
/// a moment ago and a write is seen by the next program run, with no system call either way.
/// </summary>
/// <remarks>
/// <c>.rodata*</c> and <c>.kconfig</c> are frozen after load and mapped read-only: <see cref="Span"/> throws for them,
/// <see cref="ReadOnlySpan"/> works for every section. The mapping lives as long as the <see cref="BpfObject"/>; a span
/// taken from it must not be used after the object is disposed.
/// </remarks>
public sealed unsafe class MappedDataSection
{
    readonly MappedMemory memory;

    internal MappedDataSection(MapDefinition definition, BpfMap map, MappedMemory memory)
    {
        Definition = definition;
        Map = map;
        this.memory = memory;
    }

    /// <summary>The section's name (<c>.bss</c>, <c>.data.custom</c> …), which is also its map's name in the object.</summary>
    public string Name => Definition.Name;

    /// <summary>What the object file says about the section: its variables with their offsets, sizes and BTF ids.</summary>
    public MapDefinition Definition { get; }

    /// <summary>The one-element array map that holds the section in the kernel.</summary>
    public BpfMap Map { get; }

    /// <summary>True for <c>.rodata*</c> and <c>.kconfig</c>: programs cannot write them and user space could only set them before load.</summary>
    public bool IsReadOnly => Definition.IsReadOnly;

    /// <summary>The section's size in bytes.</summary>
    public int Length => (int)Map.ValueSize;

    /// <summary>The section's bytes, writable.</summary>
    /// <exception cref="InvalidOperationException">The section is read-only (<see cref="IsReadOnly"/>).</exception>
    /// <exception cref="ObjectDisposedException">The object was disposed.</exception>
    public Span<byte> Span => IsReadOnly ? throw ReadOnlyError(null) : new Span<byte>(Address, Length);

    /// <summary>The section's bytes, for reading.</summary>
    /// <exception cref="ObjectDisposedException">The object was disposed.</exception>
    public ReadOnlySpan<byte> ReadOnlySpan => new(Address, Length);

    internal byte* Address => (byte*)memory.Address;

    internal InvalidOperationException ReadOnlyError(string? variable) => new(
        (variable is null ? $"section '{Name}'" : $"global '{variable}' (in section '{Name}')")
        + " is read-only: the kernel froze it after load and programs see it as constant. Set it before load with "
        + "ObjectLoadOptions.SetGlobal, or read it through ReadOnlySpan / ReadOnlyValue.");

    public override string ToString() => $"section '{Name}' ({Length} bytes{(IsReadOnly ? ", read-only" : "")})";
}
