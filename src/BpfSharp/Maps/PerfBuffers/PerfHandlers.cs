namespace BpfSharp.Maps.PerfBuffers;

/// <summary>
/// Receives one sample: the CPU whose ring held it and its raw bytes. <paramref name="data"/> points into the ring (or
/// into the reader's scratch buffer for a record that wraps around the ring's end) and is valid only during the call.
/// </summary>
public delegate void PerfSampleHandler(int cpu, ReadOnlySpan<byte> data);

/// <summary>Receives one sample read as <typeparamref name="T"/> from the start of its raw bytes.</summary>
public delegate void PerfRecordHandler<T>(int cpu, in T record) where T : unmanaged;

/// <summary>Hears that the kernel dropped <paramref name="lostSamples"/> samples on <paramref name="cpu"/> because its ring was full.</summary>
public delegate void PerfLostHandler(int cpu, ulong lostSamples);

/// <summary>
/// A sample handler as a struct: the reader's generic overloads call it directly, without a delegate. Keep state in
/// the struct's fields (the reader passes it by reference, so changes are seen by the caller).
/// </summary>
public interface IPerfSampleHandler
{
    /// <summary>One sample; <paramref name="data"/> is valid only during the call.</summary>
    void OnSample(int cpu, ReadOnlySpan<byte> data);
}

struct DelegateSampleHandler(PerfSampleHandler handler) : IPerfSampleHandler
{
    public readonly void OnSample(int cpu, ReadOnlySpan<byte> data) => handler(cpu, data);
}

struct TypedSampleHandler<T>(PerfRecordHandler<T> handler) : IPerfSampleHandler where T : unmanaged
{
    public readonly void OnSample(int cpu, ReadOnlySpan<byte> data)
    {
        T record = PerfRecords.Read<T>(data);
        handler(cpu, in record);
    }
}

struct ListCollector<T>(List<T> items) : IPerfSampleHandler where T : unmanaged
{
    public readonly void OnSample(int cpu, ReadOnlySpan<byte> data) => items.Add(PerfRecords.Read<T>(data));
}

static class PerfRecords
{
    /// <summary>Reads <typeparamref name="T"/> from the start of a sample; the raw bytes are only 4-byte aligned, so unaligned.</summary>
    public static unsafe T Read<T>(ReadOnlySpan<byte> data) where T : unmanaged
    {
        if (data.Length < sizeof(T))
            throw new InvalidDataException(
                $"a perf sample of {data.Length} bytes is shorter than {typeof(T).Name} ({sizeof(T)} bytes): the program outputs a different " +
                "record type or size than the reader expects.");
        return System.Runtime.InteropServices.MemoryMarshal.Read<T>(data);
    }
}
