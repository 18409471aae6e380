namespace BpfSharp.Maps;

/// <summary>
/// One user at a time, and no unmapping under a user (ring buffers, user ring buffers, perf buffers): a ring's memory is only touched between <see cref="Enter"/> and
/// <see cref="Exit"/>. A second concurrent (or re-entrant) user gets an <see cref="InvalidOperationException"/>
/// instead of corrupting the positions; a dispose that arrives while the ring is in use is carried out by the user
/// when it leaves, so the mapping is never released under a running callback.
/// </summary>
struct ExclusiveUse
{
    const int Idle = 0, InUse = 1, DisposeRequested = 2, Disposed = 3;

    int state;

    public readonly bool IsDisposed => Volatile.Read(in state) >= DisposeRequested;

    /// <summary>Claims the ring; throws when it is in use or disposed.</summary>
    public void Enter(string owner, string singleUserRule)
    {
        int seen = Interlocked.CompareExchange(ref state, InUse, Idle);
        if (seen != Idle) Refuse(seen, owner, singleUserRule);
    }

    /// <summary>Like <see cref="Enter"/>, but false instead of an exception when the ring is disposed.</summary>
    public bool TryEnter(string owner, string singleUserRule)
    {
        int seen = Interlocked.CompareExchange(ref state, InUse, Idle);
        if (seen == Idle) return true;
        if (seen >= DisposeRequested) return false;
        Refuse(seen, owner, singleUserRule);
        return false;
    }

    /// <summary>Releases the ring. True when a dispose arrived meanwhile: the caller must now release the resources.</summary>
    public bool Exit()
    {
        if (Interlocked.CompareExchange(ref state, Idle, InUse) == InUse) return false;
        Volatile.Write(ref state, Disposed);
        return true;
    }

    /// <summary>Marks the ring disposed. True when the caller must release the resources now (nobody is using the ring).</summary>
    public bool RequestDispose()
    {
        while (true)
        {
            int seen = Volatile.Read(ref state);
            if (seen == Idle && Interlocked.CompareExchange(ref state, Disposed, Idle) == Idle) return true;
            if (seen == InUse && Interlocked.CompareExchange(ref state, DisposeRequested, InUse) == InUse) return false;
            if (seen >= DisposeRequested) return false;
        }
    }

    static void Refuse(int seen, string owner, string singleUserRule)
    {
        if (seen >= DisposeRequested) throw new ObjectDisposedException(owner);
        throw new InvalidOperationException(
            $"{owner} is already in use by another thread or by a callback that is running now. {singleUserRule}");
    }
}
