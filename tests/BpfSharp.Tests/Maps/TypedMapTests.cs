using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using BpfSharp.Abi;
using BpfSharp.Maps;
using Xunit;

namespace BpfSharp.Tests.Maps;

[StructLayout(LayoutKind.Sequential)]
public record struct Triple(uint A, uint B, uint C); // 12 bytes: not a multiple of 8

[StructLayout(LayoutKind.Sequential)]
public record struct Pair(ulong A, ulong B); // 16 bytes

public class TypedMapTests
{
    [Fact]
    public void UpdateFlagsAnyNoExistExist()
    {
        Kernel.Require();
        using var map = HashMap<uint, ulong>.Create(16, "flags");
        Assert.True(map.TryAdd(1, 10));
        Assert.False(map.TryAdd(1, 11));
        Assert.Equal(10ul, map[1]);

        map.Update(1, 12, MapUpdateFlags.Exist);
        Assert.Equal(12ul, map[1]);
        var e = Assert.Throws<BpfSyscallException>(() => map.Update(2, 1, MapUpdateFlags.Exist));
        Assert.Equal(Errno.ENOENT, e.Errno);
        Assert.Equal(BpfCommand.MapUpdateElem, e.Command);
        Assert.Contains("flags", e.Message);
        var ex = Assert.Throws<BpfSyscallException>(() => map.Update(1, 1, MapUpdateFlags.NoExist));
        Assert.Equal(Errno.EEXIST, ex.Errno);

        map.Update(3, 30, MapUpdateFlags.Any);
        map[3] = 31;
        Assert.Equal(31ul, map[3]);
        Assert.Throws<KeyNotFoundException>(() => map[4]);
    }

    [Fact]
    public void RemoveAndTryRemove()
    {
        Kernel.Require();
        using var map = HashMap<ulong, Pair>.Create(16, "remove");
        map.Update(5, new Pair(1, 2));
        map.Update(6, new Pair(3, 4));
        Assert.True(map.Remove(5));
        Assert.False(map.Remove(5));
        Assert.False(map.TryGetValue(5, out _));

        Assert.True(map.TryRemove(6, out Pair removed));
        Assert.Equal(new Pair(3, 4), removed);
        Assert.False(map.TryRemove(6, out _));
        Assert.False(map.TryGetValue(6, out _));
    }

    [Fact]
    public void KeysAndEntriesListExactlyTheContents()
    {
        Kernel.Require();
        using var map = HashMap<uint, ulong>.Create(256, "iterate");
        var expected = new Dictionary<uint, ulong>();
        for (uint k = 0; k < 200; k += 3) { map.Update(k, (ulong)k * k + 1); expected[k] = (ulong)k * k + 1; }

        var keys = new List<uint>();
        foreach (uint k in map.Keys) keys.Add(k);
        Assert.Equal(expected.Keys.Order(), keys.Order());

        var entries = new Dictionary<uint, ulong>();
        foreach (var (k, v) in map.Entries) Assert.True(entries.TryAdd(k, v), $"key {k} seen twice");
        Assert.Equal(expected, entries);

        using var empty = HashMap<uint, ulong>.Create(4, "empty");
        foreach (uint _ in empty.Keys) Assert.Fail("an empty map has no keys");
    }

    [Fact]
    public void ArrayKeysAreEveryIndex()
    {
        Kernel.Require();
        using var array = ArrayMap<ulong>.Create(10, "arr_keys");
        array.Update(4, 44);
        var keys = new List<uint>();
        foreach (uint k in array.Keys) keys.Add(k);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (uint)i), keys);
        int nonZero = 0;
        foreach (var (k, v) in array.Entries) if (v != 0) { nonZero++; Assert.Equal(4u, k); Assert.Equal(44ul, v); }
        Assert.Equal(1, nonZero);
    }

    [Fact]
    public void HashBatchOpsOverTenThousandEntries()
    {
        Kernel.Require();
        const int n = 10_000;
        using var map = HashMap<uint, ulong>.Create(n, "batch_hash");
        uint[] keys = Enumerable.Range(0, n).Select(i => (uint)(i * 7 + 1)).ToArray();
        ulong[] values = keys.Select(k => (ulong)k << 20 | 0xabc).ToArray();
        Assert.Equal(n, map.UpdateBatch(keys, values));

        // Lookup in batches of 1,000: several calls, every entry exactly once.
        var seen = ReadAll(map, 1000, out int calls, delete: false);
        Assert.True(calls >= n / 1000, $"{calls} calls");
        Assert.Equal(n, seen.Count);
        foreach (var (k, v) in seen) Assert.Equal((ulong)k << 20 | 0xabc, v);
        Assert.Equal(keys.Order(), seen.Keys.Order());

        // Delete the first half by key; the rest by lookup-and-delete in batches of 777.
        Assert.Equal(n / 2, map.DeleteBatch(keys.AsSpan(0, n / 2)));
        Assert.False(map.TryGetValue(keys[0], out _));
        Assert.True(map.TryGetValue(keys[n / 2], out _));
        var rest = ReadAll(map, 777, out calls, delete: true);
        Assert.True(calls >= (n / 2) / 777, $"{calls} calls");
        Assert.Equal(keys[(n / 2)..].Order(), rest.Keys.Order());
        foreach (uint _ in map.Keys) Assert.Fail("the map should be empty after lookup-and-delete batches");
    }

    [Fact]
    public void ArrayBatchOpsOverTenThousandEntries()
    {
        Kernel.Require();
        const int n = 10_000;
        using var map = ArrayMap<Pair>.Create(n, "batch_array");
        uint[] keys = Enumerable.Range(0, n).Select(i => (uint)i).ToArray();
        Pair[] values = keys.Select(k => new Pair(k, ~(ulong)k)).ToArray();
        Assert.Equal(n, map.UpdateBatch(keys, values));
        var seen = ReadAll(map, 999, out int calls, delete: false);
        Assert.True(calls >= n / 999);
        Assert.Equal(n, seen.Count);
        foreach (var (k, v) in seen) Assert.Equal(new Pair(k, ~(ulong)k), v);

        // Arrays cannot delete elements: the kernel has no batch delete for them (ENOTSUPP, 524).
        var e = Assert.Throws<BpfSyscallException>(() => map.DeleteBatch(keys.AsSpan(0, 3)));
        Assert.Equal(BpfCommand.MapDeleteBatch, e.Command);
        Assert.Equal(524, (int)e.Errno);
        var e2 = Assert.Throws<BpfSyscallException>(() => map.LookupAndDeleteBatch(map.NewBatchCursor(), new uint[10], new Pair[10]));
        Assert.Equal(BpfCommand.MapLookupAndDeleteBatch, e2.Command);
    }

    static Dictionary<TKey, TValue> ReadAll<TKey, TValue>(KeyValueMap<TKey, TValue> map, int batch, out int calls, bool delete)
        where TKey : unmanaged where TValue : unmanaged
    {
        var result = new Dictionary<TKey, TValue>();
        var cursor = map.NewBatchCursor();
        var keys = new TKey[batch];
        var values = new TValue[batch];
        calls = 0;
        while (!cursor.Done)
        {
            int count = delete ? map.LookupAndDeleteBatch(cursor, keys, values) : map.LookupBatch(cursor, keys, values);
            calls++;
            Assert.True(calls < 100_000, "the batch cursor never finished");
            for (int i = 0; i < count; i++) Assert.True(result.TryAdd(keys[i], values[i]), $"key {keys[i]} returned twice");
        }
        return result;
    }

    [Fact]
    public void FrozenMapRefusesUpdatesFromUserSpace()
    {
        Kernel.Require();
        using var map = HashMap<uint, ulong>.Create(4, "frozen");
        map.Update(1, 1);
        map.Map.Freeze();
        var e = Assert.Throws<BpfSyscallException>(() => map.Update(2, 2));
        Assert.Equal(Errno.EPERM, e.Errno);
        Assert.Equal(BpfCommand.MapUpdateElem, e.Command);
        Assert.Throws<BpfSyscallException>(() => map.Remove(1));
        Assert.Equal(1ul, map[1]); // reads still work
        // Freezing again: the kernel checks write permission first, which a frozen map no longer grants.
        var again = Assert.Throws<BpfSyscallException>(() => map.Map.Freeze());
        Assert.Equal(Errno.EPERM, again.Errno);
        Assert.Equal(BpfCommand.MapFreeze, again.Command);
    }

    [Fact]
    public void PinOpenPinnedAndUnpin()
    {
        Kernel.Require();
        string path = "/sys/fs/bpf/" + Kernel.UniqueName("pin");
        using var map = HashMap<uint, ulong>.Create(8, "pinned");
        map.Update(1, 100);
        map.Pin(path);
        Assert.True(File.Exists(path));
        Assert.Equal(path, map.Map.PinnedPath);
        try
        {
            using var reopened = new HashMap<uint, ulong>(BpfMap.OpenPinned(path));
            Assert.Equal(map.Map.GetInfo().Id, reopened.Map.GetInfo().Id);
            Assert.Equal(100ul, reopened[1]);
            reopened.Update(2, 200);          // writes through one handle are seen through the other
            Assert.Equal(200ul, map[2]);
            reopened.Map.Unpin();
            Assert.False(File.Exists(path));
            Assert.Null(reopened.Map.PinnedPath);
            Assert.Equal(200ul, reopened[2]);  // the map outlives its pin
        }
        finally
        {
            if (File.Exists(path)) File.Delete(path);
        }
        var e = Assert.Throws<BpfSyscallException>(() => BpfMap.OpenPinned(path).Dispose());
        Assert.Equal(Errno.ENOENT, e.Errno);
    }

    [Fact]
    public void FromIdOpensTheSameMap()
    {
        Kernel.Require();
        using var map = HashMap<uint, Triple>.Create(8, "by_id");
        map.Update(9, new Triple(1, 2, 3));
        uint id = map.Map.GetInfo().Id;
        Assert.Contains(id, BpfMap.EnumerateIds());
        using BpfMap raw = BpfMap.FromId(id);
        Assert.Equal(BpfMapType.Hash, raw.Type);
        Assert.Equal(4u, raw.KeySize);
        Assert.Equal(12u, raw.ValueSize);
        Assert.Equal("by_id", raw.Name);
        using var typed = new HashMap<uint, Triple>(raw);
        Assert.Equal(new Triple(1, 2, 3), typed[9]);
    }

    [Fact]
    public void PerCpuHashHoldsOneValuePerPossibleCpu_TwelveByteValues() => PerCpuRoundTrip<Triple>(c => new Triple((uint)c, (uint)c * 10 + 1, 0xdead0000 | (uint)c));

    [Fact]
    public void PerCpuHashHoldsOneValuePerPossibleCpu_SixteenByteValues() => PerCpuRoundTrip<Pair>(c => new Pair((ulong)c + 1, ulong.MaxValue - (ulong)c));

    static void PerCpuRoundTrip<T>(Func<int, T> valueFor) where T : unmanaged
    {
        Kernel.Require();
        int cpus = PossibleCpus.Count;
        Assert.Equal(File.ReadAllText("/sys/devices/system/cpu/possible").Trim() switch { var s => PossibleCpus.Parse(s) }, cpus);
        Assert.True(cpus >= Environment.ProcessorCount);
        using var map = PerCpuHashMap<uint, T>.Create(8, "percpu");
        Assert.Equal(cpus, map.CpuCount);
        T[] written = Enumerable.Range(0, cpus).Select(valueFor).ToArray();
        map.Update(3, written);
        var read = new T[cpus];
        Assert.True(map.TryGetValues(3, read));
        Assert.Equal(written, read);
        Assert.False(map.TryGetValues(4, read));

        // The raw buffer the kernel fills has one 8-byte-aligned slot per CPU: check the typed view against it.
        var raw = new byte[map.Map.UserValueSize];
        Assert.Equal(cpus * (int)((Unsafe.SizeOf<T>() + 7) & ~7), raw.Length);
        Assert.True(map.Map.TryLookup(BitConverter.GetBytes(3u), raw));
        int stride = (Unsafe.SizeOf<T>() + 7) & ~7;
        for (int c = 0; c < cpus; c++) Assert.Equal(written[c], MemoryMarshal.Read<T>(raw.AsSpan(c * stride)));

        map.UpdateAll(3, valueFor(99));
        Assert.True(map.TryGetValues(3, read));
        Assert.All(read, v => Assert.Equal(valueFor(99), v));
        Assert.True(map.Remove(3));
        Assert.False(map.TryGetValues(3, read));
    }

    [Fact]
    public void PerCpuArrayAndLruPerCpuHash()
    {
        Kernel.Require();
        int cpus = PossibleCpus.Count;
        using var array = PerCpuArrayMap<Triple>.Create(4, "pc_array");
        var zero = new Triple[cpus];
        Assert.True(array.TryGetValues(2, zero));
        Assert.All(zero, v => Assert.Equal(default, v));
        var values = Enumerable.Range(0, cpus).Select(c => new Triple(7, (uint)c, 9)).ToArray();
        array.Update(2, values);
        var read = new Triple[cpus];
        Assert.True(array.TryGetValues(2, read));
        Assert.Equal(values, read);
        Assert.Throws<BpfSyscallException>(() => array.Remove(2));

        using var lru = LruPerCpuHashMap<ulong, ulong>.Create(4, "pc_lru");
        lru.Update(1, Enumerable.Range(0, cpus).Select(c => (ulong)c * 3).ToArray());
        var lv = new ulong[cpus];
        Assert.True(lru.TryGetValues(1, lv));
        Assert.Equal(Enumerable.Range(0, cpus).Select(c => (ulong)c * 3), lv);
    }

    [Fact]
    public void MmapedArraySpanAndSyscallsSeeEachOther()
    {
        Kernel.Require();
        using var array = ArrayMap<Pair>.Create(64, "mmaped", MapCreateFlags.Mmapable);
        Assert.True(array.IsMemoryMappable);
        Span<Pair> span = array.AsSpan();
        Assert.Equal(64, span.Length);
        span[5] = new Pair(55, 56);
        Assert.Equal(new Pair(55, 56), array[5]);
        array.Update(63, new Pair(630, 631));
        Assert.Equal(new Pair(630, 631), span[63]);
        Assert.Equal(new Pair(630, 631), array.ElementAt(63));

        // A 12-byte value: elements sit 16 bytes apart in the mapping; ElementAt knows, AsSpan refuses.
        using var odd = ArrayMap<Triple>.Create(8, "mmaped_odd", MapCreateFlags.Mmapable);
        Assert.Throws<InvalidOperationException>(() => odd.AsSpan());
        odd.ElementAt(3) = new Triple(1, 2, 3);
        odd.ElementAt(4) = new Triple(4, 5, 6);
        Assert.Equal(new Triple(1, 2, 3), odd[3]);
        Assert.Equal(new Triple(4, 5, 6), odd[4]);
        odd.Update(7, new Triple(7, 8, 9));
        Assert.Equal(new Triple(7, 8, 9), odd.ElementAt(7));
        Assert.Throws<ArgumentOutOfRangeException>(() => odd.ElementAt(8));

        using var plain = ArrayMap<Pair>.Create(8, "not_mmaped");
        Assert.Throws<InvalidOperationException>(() => plain.AsSpan());
    }

    [Fact]
    public void LruEvictsInsteadOfFailingWhenFull()
    {
        Kernel.Require();
        const uint max = 64;
        using var lru = LruHashMap<uint, ulong>.Create(max, "lru_full");
        for (uint k = 0; k < 1000; k++) lru.Update(k, k);
        int count = 0;
        foreach (uint _ in lru.Keys) count++;
        Assert.InRange(count, 1, (int)max);
        Assert.Equal(999ul, lru[999]); // the latest insert survives
        Assert.False(lru.TryGetValue(0, out _)); // the oldest was evicted
    }

    [Fact]
    public void PlainHashFullIsE2bigNamingTheMap()
    {
        Kernel.Require();
        using var map = HashMap<uint, ulong>.Create(4, "tiny_hash");
        for (uint k = 0; k < 4; k++) map.Update(k, k);
        var e = Assert.Throws<BpfSyscallException>(() => map.Update(4, 4));
        Assert.Equal(Errno.E2BIG, e.Errno);
        Assert.Contains("tiny_hash", e.Message);
        Assert.Contains("BPF_MAP_UPDATE_ELEM", e.Message);
        map.Update(3, 33); // replacing an existing key still works when full
        Assert.Equal(33ul, map[3]);
    }

    [Fact]
    public void QueueStackAndBloomWrappers()
    {
        Kernel.Require();
        using var queue = QueueMap<ulong>.Create(3, "q");
        using var stack = StackMap<ulong>.Create(3, "s");
        foreach (ulong v in new ulong[] { 10, 20, 30 }) { queue.Push(v); stack.Push(v); }
        var full = Assert.Throws<BpfSyscallException>(() => queue.Push(40));
        Assert.Equal(Errno.E2BIG, full.Errno);
        queue.Push(40, MapUpdateFlags.Exist); // overwrite: drops the oldest
        stack.Push(40, MapUpdateFlags.Exist);
        Assert.True(queue.TryPeek(out ulong qp));
        Assert.Equal(20ul, qp);
        Assert.True(stack.TryPeek(out ulong sp));
        Assert.Equal(40ul, sp);
        var q = new List<ulong>(); while (queue.TryPop(out ulong v)) q.Add(v);
        var s = new List<ulong>(); while (stack.TryPop(out ulong v)) s.Add(v);
        Assert.Equal([20ul, 30, 40], q);
        Assert.Equal([40ul, 30, 20], s);
        Assert.False(queue.TryPeek(out _));

        using var bloom = BloomFilterMap<ulong>.Create(1000, hashFunctions: 3, name: "bloom");
        Assert.Equal(3ul, bloom.Map.GetInfo().MapExtra);
        for (ulong v = 0; v < 500; v++) bloom.Add(v * 0x9E3779B97F4A7C15);
        for (ulong v = 0; v < 500; v++) Assert.True(bloom.MayContain(v * 0x9E3779B97F4A7C15));
        int falsePositives = 0;
        for (ulong v = 1; v <= 2000; v++) if (bloom.MayContain(v * 0x5851F42D4C957F2D + 1)) falsePositives++;
        Assert.True(falsePositives < 200, $"{falsePositives} of 2000 absent values reported present");
    }

    [Fact]
    public void LpmTrieLongestPrefixWins()
    {
        Kernel.Require();
        using var trie = LpmTrieMap<uint, uint>.Create(16, "lpm");
        static uint Ip(byte a, byte b, byte c, byte d) => BitConverter.ToUInt32([a, b, c, d]); // network order in memory
        trie.Update(new LpmTrieKey<uint>(8, Ip(10, 0, 0, 0)), 8);
        trie.Update(new LpmTrieKey<uint>(16, Ip(10, 1, 0, 0)), 16);
        Assert.True(trie.TryMatch(Ip(10, 1, 200, 3), out uint v)); Assert.Equal(16u, v);
        Assert.True(trie.TryMatch(Ip(10, 2, 0, 1), out v)); Assert.Equal(8u, v);
        Assert.False(trie.TryMatch(Ip(11, 1, 0, 1), out _));
        Assert.Equal(MapCreateFlags.NoPrealloc, trie.Map.GetInfo().Flags);
        var keys = new List<uint>(); foreach (var k in trie.Keys) keys.Add(k.PrefixLength);
        Assert.Equal([8u, 16u], keys.Order());
    }
}
