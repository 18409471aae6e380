using BpfSharp.Interop;

namespace BpfSharp.Maps.RingBuffers;

/// <summary>
/// What both ends of a BPF ring buffer share: the ring mapped as the kernel lays it out (the consumer position on a
/// page of its own, then the producer position's page and the data area, mapped twice in a row so a record that wraps
/// is still contiguous), one user at a time (<see cref="ExclusiveUse"/>), a waiter created on first need, and a
/// release that waits for the current user to leave.
/// </summary>
/// <remarks>
/// The side user space writes decides the protections: a reader writes only the consumer position, a user ring
/// producer only the producer position and the data (the kernel refuses a writable mapping of the other side).
/// </remarks>
sealed unsafe class RingMapping
{
    readonly MappedMemory consumerPage;
    readonly MappedMemory producerPages;
    readonly BpfFileDescriptor mapFd;
    readonly string singleUserRule;
    RingWaiter? waiter;
    ExclusiveUse use;

    public RingMapping(BpfFileDescriptor mapFd, uint maxEntries, bool userProduces, string owner, string singleUserRule)
    {
        this.mapFd = mapFd;
        this.singleUserRule = singleUserRule;
        Owner = owner;
        nuint page = (nuint)Environment.SystemPageSize;
        MemoryProtection readWrite = MemoryProtection.Read | MemoryProtection.Write;
        consumerPage = MappedMemory.Map(mapFd, page, userProduces ? MemoryProtection.Read : readWrite);
        try
        {
            producerPages = MappedMemory.Map(mapFd, page + 2 * (nuint)maxEntries, userProduces ? readWrite : MemoryProtection.Read, (long)page);
        }
        catch
        {
            consumerPage.Dispose();
            throw;
        }
        Size = (int)maxEntries;
        Mask = maxEntries - 1;
        ConsumerPosition = (nuint*)consumerPage.Address;
        ProducerPosition = (nuint*)producerPages.Address;
        Data = (byte*)producerPages.Address + page;
    }

    /// <summary>Who this is, for messages: "ring buffer reader of map 'events'".</summary>
    public string Owner { get; }

    /// <summary>The size of the data area in bytes (the map's max_entries, a power of two).</summary>
    public int Size { get; }

    public nuint Mask { get; }

    public nuint* ConsumerPosition { get; }

    public nuint* ProducerPosition { get; }

    public byte* Data { get; }

    public bool IsDisposed => use.IsDisposed;

    /// <summary>Claims the ring for the calling thread; throws when another user has it or it is disposed.</summary>
    public void Enter() => use.Enter(Owner, singleUserRule);

    /// <summary>Gives the ring back; releases it when a dispose arrived meanwhile.</summary>
    public void Leave()
    {
        if (use.Exit()) Release();
    }

    /// <summary>The waiter watching the map fd for <paramref name="events"/>, created on first call (from any thread).</summary>
    public RingWaiter Waiter(EpollEvents events)
    {
        if (Volatile.Read(ref waiter) is { } existing) return existing;
        ObjectDisposedException.ThrowIf(use.IsDisposed, Owner);
        RingWaiter created = RingWaiter.ForMap(mapFd, events, Owner);
        RingWaiter? raced = Interlocked.CompareExchange(ref waiter, created, null);
        if (raced is not null)
        {
            created.Dispose();
            return raced;
        }
        if (use.IsDisposed)
        {
            created.Dispose(); // Release may have run before the exchange and missed it
            throw new ObjectDisposedException(Owner);
        }
        return created;
    }

    /// <summary>Wakes a blocked wait at once; unmaps now, or when the current user leaves. Any thread.</summary>
    public void Dispose()
    {
        Volatile.Read(ref waiter)?.Close();
        if (use.RequestDispose()) Release();
    }

    void Release()
    {
        consumerPage.Dispose();
        producerPages.Dispose();
        Volatile.Read(ref waiter)?.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// A reader or writer that was never disposed: its waiter's fds close themselves, but the mappings would stay for
    /// the life of the process, and with them the ring's memory and the map, long after the program's object was closed.
    /// </summary>
    ~RingMapping()
    {
        consumerPage?.Dispose(); // null, or already unmapped, when the constructor failed
        producerPages?.Dispose();
    }
}
