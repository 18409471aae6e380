namespace BpfSharp.Kernel;

/// <summary>
/// Base of the map classes. A map exists only as a <see cref="MapAttribute">[Map]</see> static field of a module; in a
/// compiled program the field is the map's pointer. Users never create one: on the CLR such a field is null.
/// </summary>
public abstract class BpfMap
{
    internal BpfMap() { }
}

/// <summary>How <c>bpf_map_update_elem</c> treats an existing entry (<c>BPF_ANY</c>, <c>BPF_NOEXIST</c>, <c>BPF_EXIST</c>, <c>BPF_F_LOCK</c>).</summary>
[Flags]
public enum MapUpdateFlags : ulong
{
    /// <summary>Create or replace.</summary>
    Any = 0,
    /// <summary>Create only: fails with -EEXIST when the key exists.</summary>
    NoExist = 1,
    /// <summary>Replace only: fails with -ENOENT when the key is absent. For queues and stacks: overwrite the oldest when full.</summary>
    Exist = 2,
    /// <summary>Update under the value's <c>bpf_spin_lock</c>.</summary>
    Lock = 4,
}

/// <summary>Wake-up control for ring buffer submit/discard/output (<c>BPF_RB_NO_WAKEUP</c>, <c>BPF_RB_FORCE_WAKEUP</c>).</summary>
[Flags]
public enum RingBufFlags : ulong
{
    /// <summary>Wake the consumer when it waits for data (adaptive).</summary>
    None = 0,
    /// <summary>Do not wake the consumer (batch records; the consumer polls or is woken later).</summary>
    NoWakeup = 1,
    /// <summary>Always wake the consumer.</summary>
    ForceWakeup = 2,
}

/// <summary>What <see cref="RingBuf.Query"/> reports (<c>BPF_RB_AVAIL_DATA</c>, …).</summary>
public enum RingBufQuery : ulong
{
    /// <summary>Bytes not yet consumed.</summary>
    AvailableData = 0,
    /// <summary>The ring's size.</summary>
    RingSize = 1,
    /// <summary>The consumer position.</summary>
    ConsumerPosition = 2,
    /// <summary>The producer position.</summary>
    ProducerPosition = 3,
}

/// <summary>Flags of <c>bpf_perf_event_output</c>: the low 32 bits select the CPU's ring, <see cref="CurrentCpu"/> the current one.</summary>
public enum PerfEventFlags : ulong
{
    /// <summary><c>BPF_F_CURRENT_CPU</c>.</summary>
    CurrentCpu = 0xFFFF_FFFF,
}

/// <summary>Flags of <c>bpf_get_stackid</c> / <c>bpf_get_stack</c>; the low 8 bits are a number of frames to skip.</summary>
[Flags]
public enum StackIdFlags : ulong
{
    /// <summary>The kernel stack.</summary>
    None = 0,
    /// <summary><c>BPF_F_USER_STACK</c>: the user-space stack.</summary>
    UserStack = 1 << 8,
    /// <summary><c>BPF_F_FAST_STACK_CMP</c>: compare stacks by hash only.</summary>
    FastStackCompare = 1 << 9,
    /// <summary><c>BPF_F_REUSE_STACKID</c>: a colliding stack replaces the old one.</summary>
    ReuseStackId = 1 << 10,
}
