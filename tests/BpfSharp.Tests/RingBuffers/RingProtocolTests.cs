using System.Buffers.Binary;
using BpfSharp.Abi;
using BpfSharp.Interop;
using BpfSharp.Maps.RingBuffers;
using Xunit;

namespace BpfSharp.Tests.RingBuffers;

/// <summary>
/// The ring protocol against a ring in ordinary memory (<see cref="FakeRing"/>, no kernel): states a BPF program
/// cannot hold still, such as a record reserved but not committed, or positions about to wrap at 2^64.
/// </summary>
public class RingProtocolTests
{
    static byte[] Payload(int length, byte seed)
    {
        var bytes = new byte[length];
        for (int i = 0; i < length; i++) bytes[i] = (byte)(seed + i);
        return bytes;
    }

    [Fact]
    public void TheConsumerPageIsMappedReadWriteAndTheProducerPagesReadOnly()
    {
        using var ring = new FakeRing(4096);
        using (new RingBufferReader(ring.Map))
        {
            Assert.Equal([MemoryProtection.Read | MemoryProtection.Write, MemoryProtection.Read], ring.Protections);
            Assert.Equal(2, ring.Mapped);
        }
        Assert.Equal(0, ring.Mapped);
    }

    [Fact]
    public void ABusyRecordStopsConsumptionUntilItIsCommitted()
    {
        using var ring = new FakeRing(4096);
        using var reader = new RingBufferReader(ring.Map);
        ring.Output(Payload(5, 1));
        ulong busy = ring.Reserve(12);
        ring.Output(Payload(3, 9));

        var seen = new List<byte[]>();
        Assert.Equal(1, reader.Consume(r => { seen.Add(r.ToArray()); return true; }));
        Assert.Equal(16ul, ring.Consumer); // 8 + 5 rounded up to 16; stopped before the busy record
        Assert.Equal(0, reader.Consume(_ => true));

        ring.Fill(busy, Payload(12, 50));
        ring.Commit(busy);
        Assert.Equal(2, reader.Consume(r => { seen.Add(r.ToArray()); return true; }));
        Assert.Equal([Payload(5, 1), Payload(12, 50), Payload(3, 9)], seen);
        Assert.Equal(ring.Producer, ring.Consumer);
    }

    [Fact]
    public void DiscardedRecordsAreSteppedOverWithoutACallback()
    {
        using var ring = new FakeRing(4096);
        using var reader = new RingBufferReader(ring.Map);
        ring.Output(Payload(100, 0), discard: true);
        ring.Output(Payload(7, 3));
        ring.Output(Payload(0, 0), discard: true);

        var lengths = new List<int>();
        Assert.Equal(1, reader.Consume(r => { lengths.Add(r.Length); return true; }));
        Assert.Equal([7], lengths);
        Assert.Equal(112ul + 16 + 8, ring.Consumer);
    }

    [Fact]
    public void PositionsWrappingAt2To64AndRecordsSpanningTheRingsEndReadWhole()
    {
        using var ring = new FakeRing(4096);
        using var reader = new RingBufferReader(ring.Map);
        ring.StartAt(ulong.MaxValue - 4096 + 1 - 40); // 40 bytes before the data area's end, and near 2^64

        var written = new List<byte[]>();
        for (int i = 0; i < 200; i++)
        {
            byte[] p = Payload(13 + i % 50, (byte)i);
            ring.Output(p);
            written.Add(p);
            if (i % 20 == 19)
            {
                var read = new List<byte[]>();
                Assert.Equal(20, reader.Consume(r => { read.Add(r.ToArray()); return true; }));
                Assert.Equal(written, read);
                written.Clear();
            }
        }
        Assert.True(ring.Consumer < 100_000, "the positions wrapped past 2^64");
        Assert.Equal(ring.Producer, reader.ConsumerPosition);
    }

    [Fact]
    public void ZeroLengthRecordsAreDelivered()
    {
        using var ring = new FakeRing(4096);
        using var reader = new RingBufferReader(ring.Map);
        ring.Output([]);
        ring.Output([]);
        int empty = 0;
        Assert.Equal(2, reader.Consume(r => { if (r.IsEmpty) empty++; return true; }));
        Assert.Equal(2, empty);
        Assert.Equal(16ul, ring.Consumer);
    }

    [Fact]
    public void TryReadCopiesOneRecordAtATime()
    {
        using var ring = new FakeRing(4096);
        using var reader = new RingBufferReader(ring.Map);
        ring.Output(BitConverter.GetBytes(11UL));
        ring.Output(BitConverter.GetBytes(22UL), discard: true);
        ring.Output(BitConverter.GetBytes(33UL));

        Assert.True(reader.TryRead(out ulong a));
        Assert.True(reader.TryRead(out ulong b));
        Assert.False(reader.TryRead(out ulong _));
        Assert.Equal((11ul, 33ul), (a, b));
    }

    [Fact]
    public void TypesBreakingTheRecordRulesAreRefusedBeforeReading()
    {
        using var ring = new FakeRing(4096);
        using var reader = new RingBufferReader(ring.Map);
        ring.Output(new byte[32]);
        Assert.Throws<BpfSharp.Layout.BpfLayoutException>(() => reader.Consume<Int128>((in Int128 _) => true));
        Assert.Equal(0ul, ring.Consumer);
    }

    [Fact]
    public void AsAndCastViewARecordInPlace()
    {
        byte[] record = new byte[20];
        BinaryPrimitives.WriteUInt64LittleEndian(record, 7);
        BinaryPrimitives.WriteUInt64LittleEndian(record.AsSpan(8), 9);
        Assert.Equal(7ul, RingBufferRecord.As<ulong>(record));
        Assert.Equal([7ul, 9ul], RingBufferRecord.Cast<ulong>(record).ToArray());
        var e = Assert.Throws<InvalidDataException>(() => RingBufferRecord.As<FixedRecord>(record));
        Assert.DoesNotContain("consumed", e.Message);
    }

    [Fact]
    public void TheUserRingWriterFollowsTheKernelsProducerProtocol()
    {
        using var ring = new FakeRing(4096, BpfMapType.UserRingBuf);
        using var writer = new UserRingBufferWriter(ring.Map);
        Assert.Equal([MemoryProtection.Read, MemoryProtection.Read | MemoryProtection.Write], ring.Protections);

        Assert.True(writer.TryReserve(13, out UserRingBufferReservation first));
        Assert.Equal(13u | (uint)RingBufferHeaderBits.BusyBit, ring.ReadUInt32(0)); // busy while being written
        Assert.Equal(24ul, ring.Producer); // published at reserve time, 8-aligned
        Assert.True(writer.TryReserve(8, out UserRingBufferReservation second));
        Assert.Equal(40ul, ring.Producer);

        Payload(13, 4).CopyTo(first.Data);
        writer.Submit(first);
        writer.Discard(second);
        Assert.Equal(13u, ring.ReadUInt32(0));
        Assert.Equal(8u | (uint)RingBufferHeaderBits.DiscardBit, ring.ReadUInt32(24));
        Assert.Equal(Payload(13, 4), Enumerable.Range(0, 13).Select(i => ring.ReadByte(8 + (ulong)i)).ToArray());

        InvalidOperationException? again = null;
        try { writer.Submit(first); }
        catch (InvalidOperationException e) { again = e; }
        Assert.Contains("already submitted", again?.Message);
        Assert.Throws<ArgumentException>(() => writer.Submit(default));
    }

    [Fact]
    public void TheUserRingWriterReportsAFullRingAndFreesRoomOnlyWhenTheKernelConsumes()
    {
        using var ring = new FakeRing(4096, BpfMapType.UserRingBuf);
        using var writer = new UserRingBufferWriter(ring.Map);
        int written = 0;
        while (writer.TryWrite(new byte[100])) written++;
        Assert.Equal(4096 / 112, written);
        Assert.Equal(4096 - 36 * 112, writer.FreeBytes);

        ring.Consumer = 112; // the kernel drained one record
        Assert.True(writer.TryWrite(new byte[100]));
        Assert.False(writer.TryWrite(new byte[100]));
    }

    [Fact]
    public void RecordsTheRingCanNeverHoldAreRefusedWithTheSizes()
    {
        using var ring = new FakeRing(4096, BpfMapType.UserRingBuf);
        using var writer = new UserRingBufferWriter(ring.Map);
        Assert.Equal(4088, writer.MaxRecordSize);

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => writer.TryReserve(4089, out _));
        Assert.Contains("4096 bytes", e.Message);
        Assert.Contains("4104", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => writer.TryReserve(-1, out _));
        Assert.True(writer.TryReserve(4088, out UserRingBufferReservation whole));
        writer.Submit(whole);
        Assert.Equal(0, writer.FreeBytes);
    }
}
