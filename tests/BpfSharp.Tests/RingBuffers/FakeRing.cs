using System.Runtime.InteropServices;
using BpfSharp.Abi;
using BpfSharp.Interop;
using BpfSharp.Maps;

namespace BpfSharp.Tests.RingBuffers;

/// <summary>
/// A ring buffer in ordinary memory behind the syscall seam, laid out as the kernel maps one (consumer page; producer
/// page and the data area twice), so the reader can be driven through states a BPF program cannot hold still: a busy
/// record, hand-made headers, positions about to wrap at 2^64. The double mapping is imitated by writing every byte
/// to both copies.
/// </summary>
sealed unsafe class FakeRing : ISyscalls, IDisposable
{
    const int MapFd = 1000;
    readonly nuint page = (nuint)Environment.SystemPageSize;
    readonly byte* consumerPage;
    readonly byte* producerPages;

    public FakeRing(int size, BpfMapType type = BpfMapType.RingBuf)
    {
        Size = size;
        consumerPage = (byte*)NativeMemory.AlignedAlloc(page, page);
        producerPages = (byte*)NativeMemory.AlignedAlloc(page + 2 * (nuint)size, page);
        NativeMemory.Clear(consumerPage, page);
        NativeMemory.Clear(producerPages, page + 2 * (nuint)size);
        Map = BpfMap.Create(new MapSpec { Type = type, MaxEntries = (uint)size, Name = "fake_ring" }, this);
    }

    public int Size { get; }
    public BpfMap Map { get; }
    public int Mapped { get; private set; }
    public List<MemoryProtection> Protections { get; } = [];

    public ulong Consumer
    {
        get => *(ulong*)consumerPage;
        set => *(ulong*)consumerPage = value;
    }

    public ulong Producer
    {
        get => *(ulong*)producerPages;
        set => *(ulong*)producerPages = value;
    }

    byte* Data => producerPages + page;

    /// <summary>Starts both positions at <paramref name="position"/> (an empty ring anywhere in the 2^64 count).</summary>
    public void StartAt(ulong position) => Consumer = Producer = position;

    /// <summary>Reserves a record like the kernel (busy header, producer advanced) and returns its position.</summary>
    public ulong Reserve(int size)
    {
        ulong at = Producer;
        WriteUInt32(at, (uint)size | (uint)RingBufferHeaderBits.BusyBit);
        WriteUInt32(at + 4, 0);
        Producer = at + (ulong)((size + 8 + 7) & ~7);
        return at;
    }

    public void Fill(ulong at, ReadOnlySpan<byte> payload)
    {
        for (int i = 0; i < payload.Length; i++) WriteByte(at + 8 + (ulong)i, payload[i]);
    }

    public void Commit(ulong at, bool discard = false)
    {
        uint length = ReadUInt32(at) & ~(uint)RingBufferHeaderBits.BusyBit;
        WriteUInt32(at, length | (discard ? (uint)RingBufferHeaderBits.DiscardBit : 0));
    }

    /// <summary>Reserve, fill and commit in one.</summary>
    public ulong Output(ReadOnlySpan<byte> payload, bool discard = false)
    {
        ulong at = Reserve(payload.Length);
        Fill(at, payload);
        Commit(at, discard);
        return at;
    }

    public uint ReadUInt32(ulong position)
    {
        uint v = 0;
        for (int i = 0; i < 4; i++) v |= (uint)Data[(int)((position + (ulong)i) & (ulong)(Size - 1))] << (8 * i);
        return v;
    }

    public byte ReadByte(ulong position) => Data[(int)(position & (ulong)(Size - 1))];

    void WriteUInt32(ulong position, uint value)
    {
        for (int i = 0; i < 4; i++) WriteByte(position + (ulong)i, (byte)(value >> (8 * i)));
    }

    void WriteByte(ulong position, byte value)
    {
        int offset = (int)(position & (ulong)(Size - 1));
        Data[offset] = value;
        Data[offset + Size] = value;
    }

    public int Bpf(BpfCommand command, void* attr, uint size) => command == BpfCommand.MapCreate ? MapFd : -(int)Errno.ENOSYS;

    public int Close(int fd) => 0;

    public long Mmap(void* address, nuint length, MemoryProtection protection, int flags, int fd, long offset)
    {
        if (fd != MapFd) return -(int)Errno.EBADF;
        Protections.Add(protection);
        Mapped++;
        if (offset == 0 && length == page) return (long)consumerPage;
        if (offset == (long)page && length == page + 2 * (nuint)Size) return (long)producerPages;
        return -(int)Errno.EINVAL;
    }

    public int Munmap(void* address, nuint length)
    {
        Mapped--;
        return 0;
    }

    public int Open(string path, int flags) => -(int)Errno.ENOENT;

    public void Dispose()
    {
        Map.Dispose();
        NativeMemory.AlignedFree(consumerPage);
        NativeMemory.AlignedFree(producerPages);
    }
}
