using System.Runtime.CompilerServices;
using BpfSharp.Abi;
using BpfSharp.Interop;

namespace BpfSharp.Maps.RingBuffers;

/// <summary>
/// Writes records into a <c>BPF_MAP_TYPE_USER_RINGBUF</c> map for BPF programs to drain with
/// <c>bpf_user_ringbuf_drain</c>: reserve room, fill it in place, submit (or discard).
/// </summary>
/// <remarks>
/// <para>Mapped as the kernel requires of a user-space producer: the consumer position's page read-only (the kernel
/// refuses a writable mapping of it), the producer position's page and the data area (mapped twice in a row)
/// read-write.</para>
/// <para>The protocol, as the kernel checks it in <c>bpf_user_ringbuf_drain</c>: a record is an 8-byte header (length
/// word, then 4 bytes of padding) and the payload, the whole rounded up to 8 bytes, so the producer position stays
/// 8-aligned (the kernel refuses to drain otherwise). Reserving writes the length with the busy bit and publishes
/// the new producer position with a store-release; submitting store-releases the length without the busy bit (with
/// the discard bit for a discard), after the payload. The kernel stops at a busy record and skips discarded ones.</para>
/// <para>One producer: reserve, submit and discard from one thread at a time (a second concurrent caller gets an
/// <see cref="InvalidOperationException"/>). Several reservations may be outstanding; the kernel drains up to the
/// first one not yet submitted. Do not use a reservation after <see cref="Dispose"/>.</para>
/// </remarks>
public sealed unsafe class UserRingBufferWriter : IDisposable
{
    const uint BusyBit = (uint)RingBufferHeaderBits.BusyBit;
    const uint DiscardBit = (uint)RingBufferHeaderBits.DiscardBit;
    const int HeaderSize = (int)RingBufferHeaderBits.HdrSz;

    /// <summary>The kernel hands each record to the drain callback as a dynptr, which holds at most 2^24 - 1 bytes.</summary>
    const int DynptrMaxSize = (1 << 24) - 1;

    /// <summary>Only wakeups count: the kernel reports a user ring writable whenever it is not completely full.</summary>
    const EpollEvents OutEdgeTriggered = EpollEvents.Out | (EpollEvents)(1u << 31);

    const string SingleProducer = "A user ring buffer has one producer: reserve, submit and discard from one thread at a time.";

    readonly RingMapping ring;
    readonly string name;

    /// <summary>Maps the user ring buffer <paramref name="map"/> for writing. Throws <see cref="ArgumentException"/> for any other map type.</summary>
    public UserRingBufferWriter(BpfMap map)
        : this((map ?? throw new ArgumentNullException(nameof(map))).Fd, map.Type, map.MaxEntries, map.Name)
    {
    }

    /// <summary>Maps the user ring buffer map behind <paramref name="mapFd"/> (not owned); its type and size are asked from the kernel.</summary>
    public UserRingBufferWriter(BpfFileDescriptor mapFd) : this(mapFd, MapShape.Of(mapFd))
    {
    }

    UserRingBufferWriter(BpfFileDescriptor mapFd, MapShape shape) : this(mapFd, shape.Type, shape.MaxEntries, shape.Name)
    {
    }

    internal UserRingBufferWriter(BpfFileDescriptor mapFd, BpfMapType type, uint maxEntries, string name)
    {
        ArgumentNullException.ThrowIfNull(mapFd);
        if (type != BpfMapType.UserRingBuf)
            throw new ArgumentException(
                $"map '{name}' is a {type} map; UserRingBufferWriter writes BPF_MAP_TYPE_USER_RINGBUF maps" +
                (type == BpfMapType.RingBuf ? " (a RINGBUF map is written by BPF programs: read it with RingBufferReader)." : "."),
                nameof(mapFd));
        this.name = name;
        ring = new RingMapping(mapFd, maxEntries, userProduces: true, $"user ring buffer writer of map '{name}'", SingleProducer);
    }

    /// <summary>The size of the data area in bytes (the map's max_entries).</summary>
    public int Size => ring.Size;

    /// <summary>The largest record this ring takes: with its header it must fit the data area, and the kernel's dynptr limit (16 MiB - 1) applies.</summary>
    public int MaxRecordSize => Math.Min(Size - HeaderSize, DynptrMaxSize);

    /// <summary>Bytes free for new records (headers and 8-byte rounding included), as of now.</summary>
    public long FreeBytes
    {
        get
        {
            ring.Enter();
            try { return Size - (long)(Volatile.Read(ref *ring.ProducerPosition) - Volatile.Read(ref *ring.ConsumerPosition)); }
            finally { ring.Leave(); }
        }
    }

    /// <summary>The room a record of <paramref name="size"/> bytes takes in the ring: header and payload rounded up to 8.</summary>
    static long FootprintOf(int size) => ((long)size + HeaderSize + 7) & ~7L;

    /// <summary>
    /// Reserves a record of <paramref name="size"/> bytes; false when the ring has no room now (the BPF program has
    /// not drained enough yet). Throws <see cref="ArgumentOutOfRangeException"/> for a size the ring can never hold.
    /// </summary>
    public bool TryReserve(int size, out UserRingBufferReservation reservation)
    {
        CheckSize(size);
        ring.Enter();
        try
        {
            nuint consumer = Volatile.Read(ref *ring.ConsumerPosition);
            nuint producer = *ring.ProducerPosition; // this writer is its only writer
            nuint footprint = (nuint)FootprintOf(size);
            if ((nuint)Size - (producer - consumer) < footprint)
            {
                reservation = default;
                return false;
            }
            uint* header = (uint*)(ring.Data + (producer & ring.Mask));
            header[0] = (uint)size | BusyBit;
            header[1] = 0;
            // Publishes the busy header with the position: the kernel stops at it until Submit or Discard.
            Volatile.Write(ref *ring.ProducerPosition, producer + footprint);
            reservation = new UserRingBufferReservation(header, size);
            return true;
        }
        finally
        {
            ring.Leave();
        }
    }

    /// <summary>
    /// Reserves a record of <paramref name="size"/> bytes, waiting up to <paramref name="timeout"/> for the BPF
    /// program to drain enough room (<see cref="Timeout.InfiniteTimeSpan"/>: forever). Throws
    /// <see cref="TimeoutException"/> when the room did not come in time, <see cref="OperationCanceledException"/> at
    /// once when <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    /// <remarks>
    /// The kernel signals after each <c>bpf_user_ringbuf_drain</c> that consumed a record, unless the program passed
    /// <c>BPF_RB_NO_WAKEUP</c>; without a signal the room is only found when the timeout ends.
    /// </remarks>
    public UserRingBufferReservation ReserveBlocking(int size, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        CheckSize(size);
        long ms = RingWaiter.Milliseconds(timeout);
        bool forever = ms < 0;
        long deadline = Environment.TickCount64 + Math.Max(ms, 0);
        while (true)
        {
            if (TryReserve(size, out UserRingBufferReservation reservation)) return reservation;
            cancellationToken.ThrowIfCancellationRequested();
            long left = forever ? -1 : Math.Max(0, deadline - Environment.TickCount64);
            if (left == 0)
                throw new TimeoutException(
                    $"the user ring buffer of map '{name}' had no room for a {size}-byte record ({FootprintOf(size)} bytes in the ring) " +
                    $"within {timeout.TotalMilliseconds:0} ms: {FreeBytes} of {Size} bytes are free. The BPF program drains it too slowly, or no longer runs.");
            ring.Waiter(OutEdgeTriggered).Wait(left < 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(left), cancellationToken, ring.Owner);
        }
    }

    /// <summary>Makes a reserved record visible to the kernel.</summary>
    public void Submit(UserRingBufferReservation reservation) => Commit(reservation, discard: false);

    /// <summary>Gives a reserved record up: the kernel skips it (its room is freed when the program drains past it).</summary>
    public void Discard(UserRingBufferReservation reservation) => Commit(reservation, discard: true);

    void Commit(UserRingBufferReservation reservation, bool discard)
    {
        uint* header = reservation.Header;
        if (header == null) throw new ArgumentException("this reservation is empty (default): reserve a record first.", nameof(reservation));
        ring.Enter();
        try
        {
            nuint offset = (nuint)((byte*)header - ring.Data);
            if ((byte*)header < ring.Data || offset >= (nuint)Size || (offset & 7) != 0)
                throw new ArgumentException($"this reservation was not made by the {ring.Owner}.", nameof(reservation));
            uint length = Volatile.Read(ref *header);
            if (length != ((uint)reservation.Length | BusyBit))
                throw new InvalidOperationException($"this record of the {ring.Owner} was already submitted or discarded.");
            // Store-release: the payload written into the reservation is visible before the kernel sees it committed.
            Volatile.Write(ref *header, (uint)reservation.Length | (discard ? DiscardBit : 0));
        }
        finally
        {
            ring.Leave();
        }
    }

    /// <summary>Reserves, copies <paramref name="record"/> in and submits; false when the ring has no room now.</summary>
    public bool TryWrite(ReadOnlySpan<byte> record)
    {
        if (!TryReserve(record.Length, out UserRingBufferReservation reservation)) return false;
        record.CopyTo(reservation.Data);
        Submit(reservation);
        return true;
    }

    /// <summary>Reserves <c>sizeof(T)</c> bytes, copies <paramref name="record"/> in and submits; false when the ring has no room now.</summary>
    public bool TryWrite<T>(in T record) where T : unmanaged
    {
        RingBufferRecord.Validate<T>();
        if (!TryReserve(Unsafe.SizeOf<T>(), out UserRingBufferReservation reservation)) return false;
        reservation.As<T>() = record;
        Submit(reservation);
        return true;
    }

    void CheckSize(int size)
    {
        if (size >= 0 && size <= MaxRecordSize) return;
        throw new ArgumentOutOfRangeException(nameof(size), size, size < 0
            ? "a record size cannot be negative."
            : size > DynptrMaxSize
                ? $"a {size}-byte record is larger than the kernel hands to bpf_user_ringbuf_drain (a dynptr of at most {DynptrMaxSize} bytes)."
                : $"a {size}-byte record takes {FootprintOf(size)} bytes with its 8-byte header and rounding to 8, " +
                  $"more than the whole ring of map '{name}' ({Size} bytes). Create the map with a larger max_entries (a power of two, a multiple of the page size).");
    }

    /// <summary>Unmaps the ring and closes the epoll fd; a blocked <see cref="ReserveBlocking"/> on another thread ends with <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose() => ring.Dispose();

    public override string ToString() => $"{ring.Owner} ({Size} bytes)";
}
