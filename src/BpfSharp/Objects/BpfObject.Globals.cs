using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using BpfSharp.Maps;

namespace BpfSharp.Objects;

public sealed partial class BpfObject
{
    /// <summary>
    /// Reads a global variable (of <c>.data</c>, <c>.bss</c>, <c>.rodata</c> or their named variants) as the
    /// programs see it now.
    /// </summary>
    /// <exception cref="KeyNotFoundException">No such variable.</exception>
    /// <exception cref="ArgumentException">The size of <typeparamref name="T"/> differs from the variable's.</exception>
    public T GetGlobal<T>(string name) where T : unmanaged
    {
        (BpfMap map, DataVariable variable) = Variable<T>(name);
        byte[] value = new byte[map.ValueSize];
        map.TryLookup(new byte[4], value);
        return MemoryMarshal.Read<T>(value.AsSpan((int)variable.Offset));
    }

    /// <summary>
    /// Writes a global variable of <c>.data</c> or <c>.bss</c> while programs run (the section is read and written
    /// back whole, so concurrent writes by a program to other variables of the section in between are lost).
    /// </summary>
    /// <exception cref="InvalidOperationException">The variable is in a frozen <c>.rodata</c> section: set it before load with <see cref="ObjectLoadOptions.SetGlobal{T}"/>.</exception>
    public void SetGlobal<T>(string name, T value) where T : unmanaged
    {
        (BpfMap map, DataVariable variable) = Variable<T>(name);
        if ((map.Flags & Abi.MapCreateFlags.RdonlyProg) != 0)
            throw new InvalidOperationException($"global '{name}' is read-only to programs and frozen after load; set it before load with ObjectLoadOptions.SetGlobal.");
        byte[] key = new byte[4], section = new byte[map.ValueSize];
        map.TryLookup(key, section);
        MemoryMarshal.Write(section.AsSpan((int)variable.Offset), in value);
        map.Update(key, section);
    }

    (BpfMap Map, DataVariable Variable) Variable<T>(string name) where T : unmanaged
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (Spec.FindVariable(name) is not var (definition, v))
            throw new KeyNotFoundException($"object '{Name}' has no global variable '{name}' in its data sections.");
        if (Unsafe.SizeOf<T>() != v.Size)
            throw new ArgumentException($"global '{name}' is {v.Size} bytes, but {typeof(T)} is {Unsafe.SizeOf<T>()}.", nameof(T));
        return (Map(definition.Name), v);
    }
}
