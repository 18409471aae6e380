using System.Runtime.CompilerServices;

namespace BpfSharp.Maps.PerfBuffers;

public sealed partial class PerfBufferReader
{
    /// <summary>
    /// Every sample from now on, read as <typeparamref name="T"/>, in batches: what is waiting is drained at once, then
    /// the enumeration waits (on a thread-pool thread, for the kernel's wakeup) for more. Ends when the reader is
    /// disposed; throws <see cref="OperationCanceledException"/> when cancelled. No allocation per sample once the
    /// batch list has grown to the largest batch.
    /// </summary>
    public async IAsyncEnumerable<T> ReadAllAsync<T>([EnumeratorCancellation] CancellationToken cancellationToken = default) where T : unmanaged
    {
        var batch = new List<T>();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            batch.Clear();
            if (!TryCollect(batch)) yield break;
            if (batch.Count == 0 && !await Task.Run(() => TryWaitAndCollect(batch, cancellationToken), cancellationToken).ConfigureAwait(false))
                yield break;
            foreach (T item in batch) yield return item;
        }
    }

    /// <summary>Drains every ring into <paramref name="batch"/>; false when the reader is disposed.</summary>
    bool TryCollect<T>(List<T> batch) where T : unmanaged
    {
        if (!TryEnter()) return false;
        try
        {
            var collector = new ListCollector<T>(batch);
            DrainAll(ref collector);
            return true;
        }
        finally
        {
            Exit();
        }
    }

    /// <summary>Waits for a wakeup and drains the rings that woke into <paramref name="batch"/>; false when the reader is disposed.</summary>
    bool TryWaitAndCollect<T>(List<T> batch, CancellationToken cancellationToken) where T : unmanaged
    {
        if (!TryEnter()) return false;
        try
        {
            var collector = new ListCollector<T>(batch);
            PollCore(ref collector, Timeout.InfiniteTimeSpan, cancellationToken);
            return batch.Count > 0; // 0 only when the reader was disposed during the wait
        }
        finally
        {
            Exit();
        }
    }
}
