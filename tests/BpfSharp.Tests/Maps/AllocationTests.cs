using BpfSharp.Maps;
using Xunit;

namespace BpfSharp.Tests.Maps;

/// <summary>Typed element operations allocate nothing on the managed heap (a correctness property, not a timing).</summary>
public class AllocationTests
{
    const int Iterations = 10_000;

    static long AllocatedBy(Action body)
    {
        body(); // warm-up: JIT, lazy statics (PossibleCpus), first-call paths
        body();
        long before = GC.GetAllocatedBytesForCurrentThread();
        body();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [Fact]
    public void HashMapLookupUpdateRemoveAllocateNothing()
    {
        Kernel.Require();
        using var map = HashMap<uint, Pair>.Create(64, "alloc_hash");
        ulong sum = 0;
        long bytes = AllocatedBy(() =>
        {
            sum = 0;
            for (int i = 0; i < Iterations; i++)
            {
                uint key = (uint)(i & 31);
                map.Update(key, new Pair((ulong)i, 1));
                if (map.TryGetValue(key, out Pair v)) sum += v.A;
                map.Remove(key);
                map.TryAdd(key, default);
                map.TryRemove(key, out _);
            }
        });
        Assert.Equal(0, bytes);
        Assert.Equal(Enumerable.Range(0, Iterations).Sum(i => (long)i), (long)sum);
    }

    [Fact]
    public void ArrayAndPerCpuOperationsAllocateNothing()
    {
        Kernel.Require();
        using var array = ArrayMap<Triple>.Create(16, "alloc_array");
        using var perCpu = PerCpuHashMap<uint, Triple>.Create(16, "alloc_pc");
        using var perCpuDense = PerCpuArrayMap<ulong>.Create(16, "alloc_pc_dense");
        var values = new Triple[PossibleCpus.Count];
        var dense = new ulong[PossibleCpus.Count];
        long bytes = AllocatedBy(() =>
        {
            for (int i = 0; i < Iterations; i++)
            {
                uint key = (uint)(i & 15);
                array.Update(key, new Triple((uint)i, 2, 3));
                array.TryGetValue(key, out _);
                perCpu.UpdateAll(key, new Triple(1, (uint)i, 3));
                perCpu.TryGetValues(key, values);
                perCpu.Remove(key);
                perCpuDense.Update(key, dense);
                perCpuDense.TryGetValues(key, dense);
            }
        });
        Assert.Equal(0, bytes);
        Assert.True(perCpuDense.TryGetValues(3, dense));
    }

    [Fact]
    public void IteratingKeysAndEntriesAllocatesNothing()
    {
        Kernel.Require();
        using var map = HashMap<uint, ulong>.Create(64, "alloc_iter");
        for (uint k = 0; k < 50; k++) map.Update(k, k);
        int count = 0;
        long bytes = AllocatedBy(() =>
        {
            count = 0;
            foreach (uint _ in map.Keys) count++;
            foreach (var _ in map.Entries) count++;
        });
        Assert.Equal(100, count);
        Assert.Equal(0, bytes);
    }
}
