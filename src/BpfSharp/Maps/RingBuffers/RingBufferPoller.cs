using System.Runtime.CompilerServices;
using BpfSharp.Interop;

namespace BpfSharp.Maps.RingBuffers;

/// <summary>
/// Several ring buffers behind one epoll set, each with its own callback, like libbpf's <c>ring_buffer__add</c>:
/// <see cref="Poll"/> sleeps until any of them has records and hands each ring's records to that ring's callback.
/// </summary>
/// <remarks>
/// One consumer, as for <see cref="RingBufferReader"/>: <see cref="Add(BpfMap, RingBufferCallback)"/>,
/// <see cref="Consume"/> and <see cref="Poll"/> from one thread at a time. <see cref="Dispose"/> from any thread wakes
/// a blocked <see cref="Poll"/> and unmaps every ring (the readers <see cref="Add(BpfMap, RingBufferCallback)"/>
/// returned belong to the poller).
/// </remarks>
public sealed class RingBufferPoller : IDisposable
{
    const string SingleConsumer = "A ring buffer poller has one consumer: call Add, Consume and Poll from one thread at a time, never from inside a callback.";
    const string Owner = "ring buffer poller";

    readonly List<Ring> rings = [];
    RingWaiter? waiter;
    ExclusiveUse use;

    /// <summary>The number of rings added.</summary>
    public int Count => rings.Count;

    /// <summary>Adds the ring buffer <paramref name="map"/>, whose records go to <paramref name="callback"/>. Returns its reader (owned by the poller).</summary>
    public RingBufferReader Add(BpfMap map, RingBufferCallback callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return Add(map, reader => new RawRing(reader, callback));
    }

    /// <summary>Adds the ring buffer <paramref name="map"/>, whose records go to <paramref name="callback"/> as <typeparamref name="T"/> (see <see cref="RingBufferReader.Consume{T}(RingBufferRecordCallback{T})"/>).</summary>
    public RingBufferReader Add<T>(BpfMap map, RingBufferRecordCallback<T> callback) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(callback);
        RingBufferRecord.Validate<T>();
        return Add(map, reader => new TypedRing<T>(reader, callback));
    }

    RingBufferReader Add(BpfMap map, Func<RingBufferReader, Ring> ring)
    {
        ArgumentNullException.ThrowIfNull(map);
        use.Enter(Owner, SingleConsumer);
        try
        {
            var reader = new RingBufferReader(map);
            try
            {
                if (waiter is null) waiter = new RingWaiter(map.Fd.Syscalls);
                waiter.Watch(map.Fd, (ulong)rings.Count, EpollEvents.In);
                rings.Add(ring(reader));
                return reader;
            }
            catch
            {
                reader.Dispose();
                throw;
            }
        }
        finally
        {
            Leave();
        }
    }

    /// <summary>
    /// Consumes every ring once, in the order they were added; never blocks. Stops early when a callback returns
    /// false. Returns the number of records handed to the callbacks.
    /// </summary>
    public int Consume()
    {
        use.Enter(Owner, SingleConsumer);
        try
        {
            return ConsumeAll();
        }
        finally
        {
            Leave();
        }
    }

    /// <summary>
    /// Consumes every ring; when none had records, waits up to <paramref name="timeout"/> for any of them to be
    /// signalled and consumes again. Returns the records handed over (0 when the timeout passed with none).
    /// Cancellation and wakeups as in <see cref="RingBufferReader.Poll(RingBufferCallback, TimeSpan, CancellationToken)"/>.
    /// </summary>
    public int Poll(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        RingWaiter.Milliseconds(timeout);
        use.Enter(Owner, SingleConsumer);
        try
        {
            int consumed = ConsumeAll();
            if (consumed > 0 || waiter is null) return consumed;
            waiter.Wait(timeout, cancellationToken, Owner);
            return ConsumeAll();
        }
        finally
        {
            Leave();
        }
    }

    int ConsumeAll()
    {
        int total = 0;
        foreach (Ring ring in rings)
        {
            total += ring.Consume(out bool stopped);
            if (stopped) break;
        }
        return total;
    }

    void Leave()
    {
        if (use.Exit()) Release();
    }

    /// <summary>Unmaps every ring and closes the epoll set; a <see cref="Poll"/> blocked on another thread ends with <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        Volatile.Read(ref waiter)?.Close();
        if (use.RequestDispose()) Release();
    }

    void Release()
    {
        foreach (Ring ring in rings) ring.Reader.Dispose();
        waiter?.Dispose();
    }

    abstract class Ring(RingBufferReader reader)
    {
        public RingBufferReader Reader { get; } = reader;

        public abstract int Consume(out bool stopped);
    }

    sealed class RawRing(RingBufferReader reader, RingBufferCallback callback) : Ring(reader)
    {
        public override int Consume(out bool stopped)
        {
            var handler = new StopTracking(callback);
            int n = Reader.Consume(ref handler);
            stopped = handler.Stopped;
            return n;
        }

        struct StopTracking(RingBufferCallback callback) : IRingBufferHandler
        {
            public bool Stopped;

            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            public bool OnRecord(ReadOnlySpan<byte> record)
            {
                if (callback(record)) return true;
                Stopped = true;
                return false;
            }
        }
    }

    sealed class TypedRing<T>(RingBufferReader reader, RingBufferRecordCallback<T> callback) : Ring(reader) where T : unmanaged
    {
        public override int Consume(out bool stopped)
        {
            var handler = new StopTracking(callback);
            int n = Reader.Consume(ref handler);
            stopped = handler.Stopped;
            return n;
        }

        struct StopTracking(RingBufferRecordCallback<T> callback) : IRingBufferHandler
        {
            public bool Stopped;

            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            public bool OnRecord(ReadOnlySpan<byte> record)
            {
                if (callback(in RecordAdapter.View<T>(record))) return true;
                Stopped = true;
                return false;
            }
        }
    }
}
