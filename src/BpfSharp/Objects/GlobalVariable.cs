using System.Runtime.CompilerServices;

namespace BpfSharp.Objects;

/// <summary>
/// A global variable of a loaded object, typed, over the memory-mapped section that holds it (see
/// <see cref="BpfObject.Global{T}"/>). <see cref="Value"/> is a reference into the memory the programs use: reading it
/// costs a memory load, not a system call, and sees what a program stored last; writing it changes what the next
/// program run reads.
/// </summary>
/// <remarks>
/// Programs on other CPUs write concurrently: read a counter another CPU increments with
/// <see cref="Volatile"/> (or <see cref="Interlocked"/>) on the reference when the order of
/// reads matters, and update shared counters with <see cref="Interlocked"/> — a program's atomic add and
/// <c>Interlocked.Add</c> here act on the same word. A plain read of a naturally aligned 8-byte or smaller value is
/// never torn.
/// </remarks>
public sealed unsafe class GlobalVariable<T> where T : unmanaged
{
    internal GlobalVariable(string name, MappedDataSection section, uint offset)
    {
        Name = name;
        Section = section;
        Offset = offset;
    }

    /// <summary>The variable's name in the object.</summary>
    public string Name { get; }

    /// <summary>The section that holds it.</summary>
    public MappedDataSection Section { get; }

    /// <summary>Its offset in the section.</summary>
    public uint Offset { get; }

    /// <summary>True in <c>.rodata*</c>: frozen after load, <see cref="Value"/> throws, <see cref="ReadOnlyValue"/> works.</summary>
    public bool IsReadOnly => Section.IsReadOnly;

    /// <summary>The variable itself, writable.</summary>
    /// <exception cref="InvalidOperationException">The variable is in a read-only section (<c>.rodata</c>): set it before load instead.</exception>
    /// <exception cref="ObjectDisposedException">The object was disposed.</exception>
    public ref T Value
    {
        get
        {
            if (IsReadOnly) throw Section.ReadOnlyError(Name);
            return ref Unsafe.AsRef<T>(Section.Address + Offset);
        }
    }

    /// <summary>The variable itself, for reading (also in read-only sections).</summary>
    /// <exception cref="ObjectDisposedException">The object was disposed.</exception>
    public ref readonly T ReadOnlyValue => ref Unsafe.AsRef<T>(Section.Address + Offset);

    public override string ToString() => $"global '{Name}' ({typeof(T).Name} at {Section.Name}+{Offset})";
}

/// <summary>
/// A global array variable of a loaded object as a span of its elements over the memory-mapped section (see
/// <see cref="BpfObject.GlobalArray{T}"/>); the same live, syscall-free access as <see cref="GlobalVariable{T}"/>.
/// </summary>
public sealed unsafe class GlobalArray<T> where T : unmanaged
{
    internal GlobalArray(string name, MappedDataSection section, uint offset, int length)
    {
        Name = name;
        Section = section;
        Offset = offset;
        Length = length;
    }

    /// <summary>The variable's name in the object.</summary>
    public string Name { get; }

    /// <summary>The section that holds it.</summary>
    public MappedDataSection Section { get; }

    /// <summary>Its offset in the section.</summary>
    public uint Offset { get; }

    /// <summary>The number of elements.</summary>
    public int Length { get; }

    /// <summary>True in <c>.rodata*</c>: <see cref="Span"/> and the indexer throw, <see cref="ReadOnlySpan"/> works.</summary>
    public bool IsReadOnly => Section.IsReadOnly;

    /// <summary>The elements, writable.</summary>
    /// <exception cref="InvalidOperationException">The variable is in a read-only section.</exception>
    public Span<T> Span => IsReadOnly ? throw Section.ReadOnlyError(Name) : new Span<T>(Section.Address + Offset, Length);

    /// <summary>The elements, for reading.</summary>
    public ReadOnlySpan<T> ReadOnlySpan => new(Section.Address + Offset, Length);

    /// <summary>One element, writable.</summary>
    public ref T this[int index] => ref Span[index];

    public override string ToString() => $"global '{Name}' ({typeof(T).Name}[{Length}] at {Section.Name}+{Offset})";
}
