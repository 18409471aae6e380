using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using BpfSharp.Abi;
using BpfSharp.Btf.Values;
using BpfSharp.Interop;
using BpfSharp.Maps;

namespace BpfSharp.Objects;

public sealed partial class BpfObject
{
    /// <summary>Data sections mapped so far, by name; null for a section that cannot be mapped (created without BPF_F_MMAPABLE).</summary>
    readonly Dictionary<string, MappedDataSection?> mappedSections = new(StringComparer.Ordinal);

    /// <summary>
    /// The global variable <paramref name="name"/> as a live, typed reference into its memory-mapped section: reads see
    /// what programs wrote, writes are seen by the next program run, and neither makes a system call.
    /// </summary>
    /// <example><code>
    /// GlobalVariable&lt;ulong&gt; seen = obj.Global&lt;ulong&gt;("seen");    // __u64 seen; in .bss
    /// Console.WriteLine(Volatile.Read(ref seen.Value));
    /// obj.Global&lt;uint&gt;("limit").Value = 10;                        // int limit = 5; in .data
    /// </code></example>
    /// <exception cref="KeyNotFoundException">No such variable; the message lists the object's variables.</exception>
    /// <exception cref="ArgumentException">The size of <typeparamref name="T"/> differs from the variable's.</exception>
    /// <exception cref="InvalidOperationException">The section is not memory-mapped (it holds only static variables); use <see cref="GetGlobal{T}"/>.</exception>
    public GlobalVariable<T> Global<T>(string name) where T : unmanaged
    {
        (MapDefinition definition, DataVariable variable) = Variable<T>(name);
        MappedDataSection section = MappedSection(definition) ?? throw NotMapped(definition, name);
        return new GlobalVariable<T>(name, section, variable.Offset);
    }

    /// <summary>
    /// The global array variable <paramref name="name"/> (e.g. <c>__u64 hist[16]</c>) as a live span of
    /// <typeparamref name="T"/> over its memory-mapped section.
    /// </summary>
    /// <exception cref="KeyNotFoundException">No such variable.</exception>
    /// <exception cref="ArgumentException">The variable's size is not a multiple of <typeparamref name="T"/>'s.</exception>
    /// <exception cref="InvalidOperationException">The section is not memory-mapped; use <see cref="GetGlobal{T}"/>.</exception>
    public GlobalArray<T> GlobalArray<T>(string name) where T : unmanaged
    {
        (MapDefinition definition, DataVariable variable) = FindVariable(name);
        int element = Unsafe.SizeOf<T>();
        if (variable.Size % element != 0)
            throw new ArgumentException($"global '{name}' ({Describe(variable)} in section '{definition.Name}') is {variable.Size} bytes, "
                + $"not a whole number of {typeof(T)} ({element} bytes); use the element type of the array.", nameof(T));
        MappedDataSection section = MappedSection(definition) ?? throw NotMapped(definition, name);
        return new GlobalArray<T>(name, section, variable.Offset, (int)(variable.Size / element));
    }

    /// <summary>A whole global-data section (<c>.data</c>, <c>.bss</c>, <c>.rodata</c>, <c>.data.NAME</c> …), memory-mapped.</summary>
    /// <exception cref="KeyNotFoundException">The object has no such data section; the message lists those it has.</exception>
    /// <exception cref="InvalidOperationException">The section is not memory-mapped (it holds only static variables).</exception>
    public MappedDataSection DataSection(string name)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        MapDefinition definition = Spec.Maps.FirstOrDefault(m => m.Origin == MapOrigin.Data && m.Name == name)
            ?? throw new KeyNotFoundException($"object '{Name}' has no data section '{name}'; its data sections: {DataSectionNames()}.");
        return MappedSection(definition) ?? throw NotMapped(definition, null);
    }

    /// <summary>
    /// Reads a global variable (of <c>.data</c>, <c>.bss</c>, <c>.rodata</c> or their named variants) as the programs
    /// see it now: from the section's mapping when it has one, otherwise with a map lookup.
    /// </summary>
    /// <exception cref="KeyNotFoundException">No such variable.</exception>
    /// <exception cref="ArgumentException">The size of <typeparamref name="T"/> differs from the variable's.</exception>
    public T GetGlobal<T>(string name) where T : unmanaged
    {
        (MapDefinition definition, DataVariable variable) = Variable<T>(name);
        if (MappedSection(definition) is { } section)
            return MemoryMarshal.Read<T>(section.ReadOnlySpan[(int)variable.Offset..]);
        BpfMap map = Map(definition.Name);
        byte[] value = new byte[map.ValueSize];
        map.TryLookup(new byte[4], value);
        return MemoryMarshal.Read<T>(value.AsSpan((int)variable.Offset));
    }

    /// <summary>
    /// Writes a global variable of <c>.data</c> or <c>.bss</c> while programs run. Through the section's mapping when it
    /// has one (only this variable's bytes change); otherwise the section is read and written back whole, so a program's
    /// concurrent writes to other variables of the section in between are lost.
    /// </summary>
    /// <exception cref="InvalidOperationException">The variable is in a frozen <c>.rodata</c> section: set it before load with <see cref="ObjectLoadOptions.SetGlobal{T}"/>.</exception>
    public void SetGlobal<T>(string name, T value) where T : unmanaged
    {
        (MapDefinition definition, DataVariable variable) = Variable<T>(name);
        if (MappedSection(definition) is { } section)
        {
            if (section.IsReadOnly) throw section.ReadOnlyError(name);
            MemoryMarshal.Write(section.Span[(int)variable.Offset..], in value);
            return;
        }
        BpfMap map = Map(definition.Name);
        if (definition.IsReadOnly || (map.Flags & MapCreateFlags.RdonlyProg) != 0)
            throw new InvalidOperationException($"global '{name}' (in section '{definition.Name}') is read-only to programs and frozen after load; set it before load with ObjectLoadOptions.SetGlobal.");
        byte[] key = new byte[4], bytes = new byte[map.ValueSize];
        map.TryLookup(key, bytes);
        MemoryMarshal.Write(bytes.AsSpan((int)variable.Offset), in value);
        map.Update(key, bytes);
    }

    (MapDefinition Map, DataVariable Variable) Variable<T>(string name) where T : unmanaged
    {
        (MapDefinition definition, DataVariable v) = FindVariable(name);
        if (Unsafe.SizeOf<T>() != v.Size)
            throw new ArgumentException($"global '{name}' ({Describe(v)} in section '{definition.Name}') is {v.Size} bytes, "
                + $"but {typeof(T)} is {Unsafe.SizeOf<T>()}; use a C# type of {v.Size} bytes with the same layout.", nameof(T));
        return (definition, v);
    }

    (MapDefinition Map, DataVariable Variable) FindVariable(string name)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (Spec.FindVariable(name) is not var (definition, v))
        {
            string[] all = [.. Spec.Maps.Where(m => m.Origin == MapOrigin.Data).SelectMany(m => m.Variables.Select(x => x.Name)).Order(StringComparer.Ordinal)];
            throw new KeyNotFoundException($"object '{Name}' has no global variable '{name}' in its data sections; "
                + (all.Length == 0 ? "it has none." : $"its globals: {string.Join(", ", all)}."));
        }
        if (!maps.ContainsKey(definition.Name))
            throw new KeyNotFoundException($"global '{name}' is in section '{definition.Name}', whose map was not created.");
        return (definition, v);
    }

    /// <summary>The section's mapping, made on first use and kept until the object is disposed; null when its map is not mmapable.</summary>
    MappedDataSection? MappedSection(MapDefinition definition)
    {
        lock (mappedSections)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (mappedSections.TryGetValue(definition.Name, out MappedDataSection? known)) return known;
            BpfMap map = maps[definition.Name];
            MappedDataSection? section = null;
            if ((map.Flags & MapCreateFlags.Mmapable) != 0)
            {
                // A frozen map (.rodata, .kconfig) can only be mapped without PROT_WRITE.
                bool writable = !definition.IsReadOnly && (map.Flags & MapCreateFlags.RdonlyProg) == 0;
                MappedMemory memory = MappedMemory.Map(map.Fd, map.ValueSize,
                    writable ? MemoryProtection.Read | MemoryProtection.Write : MemoryProtection.Read);
                resources.Add(memory); // unmapped by Dispose, before the maps close
                section = new MappedDataSection(definition, map, memory);
            }
            mappedSections[definition.Name] = section;
            return section;
        }
    }

    InvalidOperationException NotMapped(MapDefinition definition, string? variable) => new(
        (variable is null ? $"section '{definition.Name}'" : $"global '{variable}' is in section '{definition.Name}', which")
        + $" of object '{Name}' is not memory-mapped: its map was created without BPF_F_MMAPABLE, as libbpf does for a section "
        + "that holds only static variables (or a pinned map was reused). Read and write it with GetGlobal/SetGlobal "
        + "(a system call each), or make a variable in it non-static.");

    string Describe(DataVariable v)
    {
        if (Spec.Btf is not { } btf || v.BtfTypeId == 0) return "type unknown";
        try { return BtfTypeName.Describe(btf, v.BtfTypeId); }
        catch (Btf.BtfFormatException) { return $"BTF type {v.BtfTypeId}"; }
    }

    string DataSectionNames() => string.Join(", ", Spec.Maps.Where(m => m.Origin == MapOrigin.Data).Select(m => m.Name));
}
