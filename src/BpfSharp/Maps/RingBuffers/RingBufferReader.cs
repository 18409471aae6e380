using System.Runtime.CompilerServices;
using BpfSharp.Abi;
using BpfSharp.Interop;

namespace BpfSharp.Maps.RingBuffers;

/// <summary>
/// Reads the records BPF programs write to a <c>BPF_MAP_TYPE_RINGBUF</c> map (<c>bpf_ringbuf_output</c>,
/// <c>bpf_ringbuf_reserve</c>/<c>submit</c>, the dynptr variants), in the order they were reserved, straight from the
/// kernel's memory: records reach the callbacks as spans into the ring, with no copy and no allocation.
/// </summary>
/// <remarks>
/// <para>The ring is mapped as the kernel lays it out: the consumer position on a page of its own (read-write, the
/// only thing user space writes), then the producer position's page and the data area, read-only; the data pages are
/// mapped twice in a row, so a record that wraps around the end is still contiguous.</para>
/// <para>One consumer: <see cref="Consume(RingBufferCallback)"/>, <c>Poll</c>, <see cref="TryRead{T}"/>,
/// <see cref="ReadAllAsync{T}"/> and the position properties are for one thread at a time, never re-entered from a
/// callback; a second concurrent user gets an <see cref="InvalidOperationException"/>. <see cref="Dispose"/> may be
/// called from any thread: it wakes a blocked <c>Poll</c> (which then throws <see cref="ObjectDisposedException"/>),
/// and the memory is unmapped only after a running callback has returned.</para>
/// <para>The map (or fd) given to the constructor is not owned; the mapping keeps the ring alive on its own, but the
/// blocking calls need the map's fd open (it is what epoll watches).</para>
/// </remarks>
public sealed unsafe class RingBufferReader : IDisposable
{
    const uint BusyBit = (uint)RingBufferHeaderBits.BusyBit;
    const uint DiscardBit = (uint)RingBufferHeaderBits.DiscardBit;
    const uint HeaderSize = (uint)RingBufferHeaderBits.HdrSz;

    /// <summary>How often <see cref="ReadAllAsync{T}"/> looks at an idle ring without a kernel wakeup.</summary>
    static readonly TimeSpan IdleRecheck = TimeSpan.FromMilliseconds(100);

    const string SingleConsumer =
        "A ring buffer has one consumer: call Consume, Poll, TryRead, ReadAllAsync and the position properties from one thread at a time, never from inside a callback.";

    readonly RingMapping ring;

    /// <summary>Maps the ring buffer <paramref name="map"/> for reading. Throws <see cref="ArgumentException"/> for any other map type.</summary>
    public RingBufferReader(BpfMap map)
        : this((map ?? throw new ArgumentNullException(nameof(map))).Fd, map.Type, map.MaxEntries, map.Name)
    {
    }

    /// <summary>Maps the ring buffer map behind <paramref name="mapFd"/> (not owned) for reading; its type and size are asked from the kernel.</summary>
    public RingBufferReader(BpfFileDescriptor mapFd) : this(mapFd, MapShape.Of(mapFd))
    {
    }

    RingBufferReader(BpfFileDescriptor mapFd, MapShape shape) : this(mapFd, shape.Type, shape.MaxEntries, shape.Name)
    {
    }

    internal RingBufferReader(BpfFileDescriptor mapFd, BpfMapType type, uint maxEntries, string name)
    {
        ArgumentNullException.ThrowIfNull(mapFd);
        if (type != BpfMapType.RingBuf)
            throw new ArgumentException(
                $"map '{name}' is a {type} map; RingBufferReader reads BPF_MAP_TYPE_RINGBUF maps" +
                (type == BpfMapType.UserRingBuf ? " (a USER_RINGBUF map is written from user space: use UserRingBufferWriter)." : "."),
                nameof(mapFd));
        ring = new RingMapping(mapFd, maxEntries, userProduces: false, $"ring buffer reader of map '{name}'", SingleConsumer);
    }

    /// <summary>The size of the data area in bytes (the map's max_entries, a power of two).</summary>
    public int Size => ring.Size;

    /// <summary>How far the kernel has reserved: a byte count that only grows (wrapping at 2^64).</summary>
    public ulong ProducerPosition
    {
        get
        {
            ring.Enter();
            try { return Volatile.Read(ref *ring.ProducerPosition); }
            finally { ring.Leave(); }
        }
    }

    /// <summary>How far this reader has consumed, in the same count as <see cref="ProducerPosition"/>.</summary>
    public ulong ConsumerPosition
    {
        get
        {
            ring.Enter();
            try { return Volatile.Read(ref *ring.ConsumerPosition); }
            finally { ring.Leave(); }
        }
    }

    /// <summary>Bytes reserved by the kernel and not yet consumed (headers and padding included).</summary>
    public long AvailableBytes
    {
        get
        {
            ring.Enter();
            try { return PendingBytes(); }
            finally { ring.Leave(); }
        }
    }

    long PendingBytes() => (long)(Volatile.Read(ref *ring.ProducerPosition) - Volatile.Read(ref *ring.ConsumerPosition));

    /// <summary>
    /// Hands every committed record to <paramref name="callback"/>, oldest first, until the ring is empty, a record is
    /// still being written (busy) or the callback returns false. Discarded records are skipped. Returns the number of
    /// records handed over; never blocks.
    /// </summary>
    public int Consume(RingBufferCallback callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var adapter = new CallbackAdapter(callback);
        return ConsumeRecords(ref adapter);
    }

    /// <summary>
    /// <see cref="Consume(RingBufferCallback)"/> with a handler called directly (no delegate): pass a struct whose
    /// <see cref="IRingBufferHandler.OnRecord"/> the JIT can inline; its state changes are kept.
    /// </summary>
    public int Consume<THandler>(ref THandler handler) where THandler : IRingBufferHandler, allows ref struct =>
        ConsumeRecords(ref handler);

    /// <summary>
    /// <see cref="Consume(RingBufferCallback)"/> with each record viewed in place as a <typeparamref name="T"/>. A
    /// record shorter than <typeparamref name="T"/> ends the call with <see cref="InvalidDataException"/> (that record
    /// is consumed, the ones after it are not); longer records are allowed.
    /// </summary>
    public int Consume<T>(RingBufferRecordCallback<T> callback) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(callback);
        RingBufferRecord.Validate<T>();
        var adapter = new RecordCallbackAdapter<T>(callback);
        return ConsumeRecords(ref adapter);
    }

    /// <summary>The typed form of <see cref="Consume{THandler}(ref THandler)"/>; records as in <see cref="Consume{T}(RingBufferRecordCallback{T})"/>.</summary>
    public int Consume<T, THandler>(ref THandler handler)
        where T : unmanaged
        where THandler : IRingBufferRecordHandler<T>, allows ref struct
    {
        RingBufferRecord.Validate<T>();
        var adapter = new RecordHandlerAdapter<T, THandler>(handler);
        try
        {
            return ConsumeRecords(ref adapter);
        }
        finally
        {
            handler = adapter.Inner;
        }
    }

    /// <summary>
    /// Copies the next committed record into <paramref name="record"/> and consumes it; false when there is none
    /// (empty, or the next record is still busy). Throws like <see cref="Consume{T}(RingBufferRecordCallback{T})"/>
    /// for a record shorter than <typeparamref name="T"/>.
    /// </summary>
    public bool TryRead<T>(out T record) where T : unmanaged
    {
        RingBufferRecord.Validate<T>();
        var adapter = new CopyOneAdapter<T>();
        bool read = ConsumeRecords(ref adapter) == 1;
        record = adapter.Value;
        return read;
    }

    /// <summary>
    /// Consumes what is there; when that is nothing, waits up to <paramref name="timeout"/>
    /// (<see cref="Timeout.InfiniteTimeSpan"/>: forever) for the kernel to signal new records and consumes those.
    /// Returns the number of records handed to <paramref name="callback"/>, 0 when the timeout passed with none.
    /// Cancelling <paramref name="cancellationToken"/> ends the wait at once with <see cref="OperationCanceledException"/>.
    /// </summary>
    /// <remarks>
    /// The kernel signals only when a program commits without <c>BPF_RB_NO_WAKEUP</c> and the reader had caught up;
    /// records committed with <c>BPF_RB_NO_WAKEUP</c> are found when the timeout ends (or at the next signal).
    /// </remarks>
    public int Poll(RingBufferCallback callback, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var adapter = new CallbackAdapter(callback);
        return PollRecords(ref adapter, timeout, cancellationToken);
    }

    /// <summary><see cref="Poll(RingBufferCallback, TimeSpan, CancellationToken)"/> with a directly called handler.</summary>
    public int Poll<THandler>(ref THandler handler, TimeSpan timeout, CancellationToken cancellationToken = default)
        where THandler : IRingBufferHandler, allows ref struct =>
        PollRecords(ref handler, timeout, cancellationToken);

    /// <summary><see cref="Poll(RingBufferCallback, TimeSpan, CancellationToken)"/> with records viewed as <typeparamref name="T"/>.</summary>
    public int Poll<T>(RingBufferRecordCallback<T> callback, TimeSpan timeout, CancellationToken cancellationToken = default) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(callback);
        RingBufferRecord.Validate<T>();
        var adapter = new RecordCallbackAdapter<T>(callback);
        return PollRecords(ref adapter, timeout, cancellationToken);
    }

    int PollRecords<THandler>(ref THandler handler, TimeSpan timeout, CancellationToken cancellationToken)
        where THandler : IRingBufferHandler, allows ref struct
    {
        int consumed = ConsumeRecords(ref handler);
        if (consumed > 0 || !WaitForData(timeout, cancellationToken)) return consumed;
        return ConsumeRecords(ref handler);
    }

    /// <summary>
    /// Waits, without consuming, until the ring holds unconsumed records (true) or <paramref name="timeout"/> passes
    /// with none (false). See <see cref="Poll(RingBufferCallback, TimeSpan, CancellationToken)"/> for wakeups and cancellation.
    /// </summary>
    public bool WaitForData(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        RingWaiter.Milliseconds(timeout); // validates before anything else
        if (AvailableBytes > 0) return true;
        ring.Waiter(EpollEvents.In).Wait(timeout, cancellationToken, ring.Owner);
        return AvailableBytes > 0;
    }

    /// <summary>
    /// Every record, as a copy in a <typeparamref name="T"/>, as it arrives, until <paramref name="cancellationToken"/>
    /// is cancelled (the enumeration then throws <see cref="OperationCanceledException"/>). Records already in the
    /// ring are yielded without waiting or allocating; when the ring is empty a thread-pool thread waits for the
    /// kernel's signal (records committed with <c>BPF_RB_NO_WAKEUP</c> are seen within 100 ms).
    /// </summary>
    public async IAsyncEnumerable<T> ReadAllAsync<T>([EnumeratorCancellation] CancellationToken cancellationToken = default) where T : unmanaged
    {
        RingBufferRecord.Validate<T>();
        while (true)
        {
            while (!cancellationToken.IsCancellationRequested && TryRead(out T record))
                yield return record;
            await WaitForDataAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    Task WaitForDataAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.Factory.StartNew(static state =>
        {
            var (reader, token) = ((RingBufferReader, CancellationToken))state!;
            while (!reader.WaitForData(IdleRecheck, token)) { }
        }, (this, cancellationToken), cancellationToken, TaskCreationOptions.DenyChildAttach, TaskScheduler.Default);
    }

    int ConsumeRecords<THandler>(ref THandler handler) where THandler : IRingBufferHandler, allows ref struct
    {
        ring.Enter();
        try
        {
            return Drain(ref handler, ring.ConsumerPosition, ring.ProducerPosition, ring.Data, ring.Mask);
        }
        catch
        {
            StepOverRecordInFlight();
            throw;
        }
        finally
        {
            ring.Leave();
        }
    }

    /// <summary>
    /// The consume loop, after libbpf's and the kernel's protocol: load-acquire the producer position; for each record
    /// load-acquire its length word; stop at a busy one (reserved, not committed); step over header and payload
    /// rounded up to 8; skip discarded ones; store-release the consumer position after each record, once the callback
    /// is done with its memory (the kernel may reuse it from then on). Re-reads the producer position until it stops
    /// moving, so records committed meanwhile are taken in the same call. No exception handling in here, so the
    /// positions stay in registers.
    /// </summary>
    static int Drain<THandler>(ref THandler handler, nuint* consumerPosition, nuint* producerPosition, byte* data, nuint mask)
        where THandler : IRingBufferHandler, allows ref struct
    {
        nuint consumer = *consumerPosition; // this reader is its only writer
        int count = 0;
        while (true)
        {
            nuint producer = Volatile.Read(ref *producerPosition);
            if ((nint)(consumer - producer) >= 0) return count;
            do
            {
                byte* header = data + (consumer & mask);
                uint length = Volatile.Read(ref *(uint*)header);
                if ((length & BusyBit) != 0) return count;
                uint size = length & ~(BusyBit | DiscardBit);
                consumer += (size + HeaderSize + 7) & ~7u;
                if ((length & DiscardBit) == 0)
                {
                    count++;
                    bool more = handler.OnRecord(new ReadOnlySpan<byte>(header + HeaderSize, (int)size));
                    Volatile.Write(ref *consumerPosition, consumer);
                    if (!more || count == int.MaxValue) return count;
                }
                else
                {
                    Volatile.Write(ref *consumerPosition, consumer);
                }
            }
            while ((nint)(consumer - producer) < 0);
        }
    }

    /// <summary>
    /// A callback threw: the consumer position still points at its record (positions are stored after each callback,
    /// and only callbacks throw in <see cref="Drain"/>). Count that record as consumed, so the next call goes on after it.
    /// </summary>
    void StepOverRecordInFlight()
    {
        nuint consumer = *ring.ConsumerPosition;
        uint length = Volatile.Read(ref *(uint*)(ring.Data + (consumer & ring.Mask)));
        uint size = length & ~(BusyBit | DiscardBit);
        Volatile.Write(ref *ring.ConsumerPosition, consumer + ((size + HeaderSize + 7) & ~7u));
    }

    /// <summary>Unmaps the ring and closes the epoll fd; a blocked wait on another thread ends with <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose() => ring.Dispose();

    public override string ToString() => $"{ring.Owner} ({Size} bytes)";
}
