using System.Runtime.CompilerServices;

namespace BpfSharp.Kernel;

/// <summary>An array of <typeparamref name="TValue"/> indexed by <c>uint</c> (<c>BPF_MAP_TYPE_ARRAY</c>); every slot exists, zero-initialised.</summary>
[BpfMapType(2)]
public sealed unsafe class ArrayMap<TValue> : BpfMap where TValue : unmanaged
{
    internal ArrayMap() { }

    /// <summary>The slot at <paramref name="index"/>, writable in place; a null ref when out of range.</summary>
    public ref TValue Lookup(uint index) =>
        ref Unsafe.AsRef<TValue>(Helpers.MapLookupElem(this, Unsafe.AsPointer(ref index)));

    /// <summary>Overwrites the slot at <paramref name="index"/>; 0 or a negative errno (-E2BIG out of range).</summary>
    public long Update(uint index, in TValue value, MapUpdateFlags flags = MapUpdateFlags.Any) =>
        Helpers.MapUpdateElem(this, Unsafe.AsPointer(ref index), Unsafe.AsPointer(ref Unsafe.AsRef(in value)), (ulong)flags);
}

/// <summary>An array with one value per CPU (<c>BPF_MAP_TYPE_PERCPU_ARRAY</c>): a lock-free counter, or scratch space larger than the stack.</summary>
[BpfMapType(6)]
public sealed unsafe class PerCpuArrayMap<TValue> : BpfMap where TValue : unmanaged
{
    internal PerCpuArrayMap() { }

    /// <summary>The current CPU's slot at <paramref name="index"/>; a null ref when out of range.</summary>
    public ref TValue Lookup(uint index) =>
        ref Unsafe.AsRef<TValue>(Helpers.MapLookupElem(this, Unsafe.AsPointer(ref index)));

    /// <summary>CPU <paramref name="cpu"/>'s slot at <paramref name="index"/>; a null ref when out of range.</summary>
    public ref TValue LookupOnCpu(uint index, uint cpu) =>
        ref Unsafe.AsRef<TValue>(Helpers.MapLookupPercpuElem(this, Unsafe.AsPointer(ref index), cpu));

    /// <summary>Overwrites the current CPU's slot at <paramref name="index"/>; 0 or a negative errno.</summary>
    public long Update(uint index, in TValue value, MapUpdateFlags flags = MapUpdateFlags.Any) =>
        Helpers.MapUpdateElem(this, Unsafe.AsPointer(ref index), Unsafe.AsPointer(ref Unsafe.AsRef(in value)), (ulong)flags);
}
