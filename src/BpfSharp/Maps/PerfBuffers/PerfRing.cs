using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using BpfSharp.Abi;
using BpfSharp.Interop;

namespace BpfSharp.Maps.PerfBuffers;

/// <summary>
/// One CPU's BPF output event and its mapped ring. The kernel appends records at <c>data_head</c>; the reader consumes
/// from <c>data_tail</c>; both count bytes from the start and only grow, the offset in the ring is the count modulo
/// the (power-of-two) data size.
/// </summary>
sealed unsafe class PerfRing : IDisposable
{
    const int RecordHeaderSize = 8;   // struct perf_event_header
    const int RawSizeOffset = 8;      // PERF_RECORD_SAMPLE with PERF_SAMPLE_RAW only: header, u32 size, raw bytes
    const int RawDataOffset = 12;
    const int LostCountOffset = 16;   // PERF_RECORD_LOST: header, u64 id, u64 lost
    const int LostRecordSize = 24;

    readonly PerfRingMapping mapping;
    readonly PerfEventMmapPage* page;
    readonly byte* data;
    readonly ulong dataSize;
    ulong lost;
    ulong consumed;
    int otherSamples; // samples handled off DrainRange's common path (wrapped records)

    public PerfRing(int cpu, BpfFileDescriptor perfEvent, PerfRingMapping mapping, int pageSize, int pages)
    {
        Cpu = cpu;
        Event = perfEvent;
        this.mapping = mapping;
        page = (PerfEventMmapPage*)mapping.Address;
        // Kernels since 4.1 publish where the data area starts and how large it is; older ones put it after one page.
        ulong offset = page->DataOffset != 0 ? page->DataOffset : (ulong)pageSize;
        dataSize = page->DataSize != 0 ? page->DataSize : (ulong)pageSize * (ulong)pages;
        data = mapping.Address + offset;
    }

    public int Cpu { get; }

    public BpfFileDescriptor Event { get; }

    public ulong DataSize => dataSize;

    /// <summary>Samples the kernel reported dropped on this CPU so far.</summary>
    public ulong Lost => Volatile.Read(ref lost);

    /// <summary>
    /// Hands every record written before this call to <paramref name="handler"/> (samples) or counts it (lost), then
    /// gives the space back to the kernel. Returns the number of samples. A record whose handler throws counts as
    /// consumed, so one bad record cannot wedge the ring.
    /// </summary>
    public int Drain<THandler>(ref THandler handler, byte* scratch, PerfLostHandler? onLost) where THandler : struct, IPerfSampleHandler
    {
        // Acquire: the record bytes the kernel wrote before publishing data_head are visible after this load.
        ulong head = Volatile.Read(ref page->DataHead);
        ulong tail = page->DataTail;
        if (head == tail) return 0;
        int samples;
        try
        {
            samples = DrainRange(ref handler, scratch, onLost, tail, head);
        }
        catch
        {
            Volatile.Write(ref page->DataTail, consumed);
            throw;
        }
        // Release: every read of the records above happens before the kernel may overwrite their space.
        Volatile.Write(ref page->DataTail, head);
        return samples;
    }

    // The loop has no exception handler of its own and calls nothing but the handler on the common path (a sample
    // that does not wrap), so the JIT keeps its state in registers. The position past the record being handled goes
    // to a field, for Drain to publish when a callback throws.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    int DrainRange<THandler>(ref THandler handler, byte* scratch, PerfLostHandler? onLost, ulong tail, ulong head)
        where THandler : struct, IPerfSampleHandler
    {
        byte* ring = data;
        ulong size = dataSize, mask = dataSize - 1;
        int cpu = Cpu;
        int samples = 0, othersBefore = otherSamples;
        while (tail != head)
        {
            ulong offset = tail & mask;
            byte* record = ring + offset;
            // Records are multiples of 8 bytes and the ring a multiple of the page size: a header never wraps.
            uint type = ((PerfEventHeader*)record)->Type;
            uint length = ((PerfEventHeader*)record)->Size;
            // Only a record known to end before the ring's end may be read past its header.
            if (type == (uint)PerfRecordType.Sample && offset + length <= size && length <= head - tail &&
                length >= RawDataOffset && *(uint*)(record + RawSizeOffset) is uint raw && raw <= length - RawDataOffset)
            {
                tail += length;
                consumed = tail;
                samples++;
                handler.OnSample(cpu, MemoryMarshal.CreateReadOnlySpan(ref record[RawDataOffset], (int)raw));
            }
            else
            {
                tail = OtherRecord(ref handler, scratch, onLost, tail, head);
            }
        }
        return samples + (otherSamples - othersBefore);
    }

    /// <summary>A record off the common path: one that wraps around the ring's end, a lost report, or a corrupt one.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    ulong OtherRecord<THandler>(ref THandler handler, byte* scratch, PerfLostHandler? onLost, ulong tail, ulong head)
        where THandler : struct, IPerfSampleHandler
    {
        ulong offset = tail & (dataSize - 1);
        byte* record = data + offset;
        uint type = ((PerfEventHeader*)record)->Type;
        uint length = ((PerfEventHeader*)record)->Size;
        if (length < RecordHeaderSize || length > head - tail) throw Corrupt(length, head - tail);
        if (offset + length > dataSize)
        {
            ulong first = dataSize - offset;
            Buffer.MemoryCopy(record, scratch, length, first);
            Buffer.MemoryCopy(data, scratch + first, length - first, length - first);
            record = scratch;
        }
        tail += length;
        consumed = tail;

        if (type == (uint)PerfRecordType.Sample)
        {
            uint raw = *(uint*)(record + RawSizeOffset);
            if (length < RawDataOffset || raw > length - RawDataOffset) throw Corrupt(raw, length);
            otherSamples++;
            handler.OnSample(Cpu, new ReadOnlySpan<byte>(record + RawDataOffset, (int)raw));
        }
        else if (type == (uint)PerfRecordType.Lost && length >= LostRecordSize)
        {
            ulong count = *(ulong*)(record + LostCountOffset);
            Volatile.Write(ref lost, lost + count);
            onLost?.Invoke(Cpu, count);
        }
        // Other record kinds (none for a BPF output event without sample_id_all) are skipped.
        return tail;
    }

    InvalidDataException Corrupt(ulong size, ulong available) => new(
        $"the perf ring of CPU {Cpu} holds a record claiming {size} bytes where {available} remain: the ring is corrupt " +
        "(another process consuming the same event, or memory overwritten).");

    public void Dispose()
    {
        mapping.Dispose();
        Event.Dispose();
    }
}
