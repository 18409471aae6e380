namespace BpfSharp.Kernel;

/// <summary>
/// The kernel's helper functions (<c>enum bpf_func_id</c>). Methods marked <see cref="BpfHelperAttribute"/> compile to a
/// helper call with their arguments in r1–r5; the others are C# wrappers over them that the compiler inlines.
/// Ids are the kernel's (<c>include/uapi/linux/bpf.h</c>); on the CLR every helper throws <see cref="BpfOnlyException"/>.
/// </summary>
public static unsafe partial class Helpers
{
    /// <summary><c>bpf_map_lookup_elem</c> (1): a pointer to the value under <paramref name="key"/>, or null.</summary>
    [BpfHelper(1)]
    public static void* MapLookupElem(BpfMap map, void* key) => throw new BpfOnlyException("Helpers.MapLookupElem");

    /// <summary><c>bpf_map_update_elem</c> (2): 0 or a negative errno.</summary>
    [BpfHelper(2)]
    public static long MapUpdateElem(BpfMap map, void* key, void* value, ulong flags) => throw new BpfOnlyException("Helpers.MapUpdateElem");

    /// <summary><c>bpf_map_delete_elem</c> (3): 0 or a negative errno.</summary>
    [BpfHelper(3)]
    public static long MapDeleteElem(BpfMap map, void* key) => throw new BpfOnlyException("Helpers.MapDeleteElem");

    /// <summary><c>bpf_map_push_elem</c> (87): queue/stack push; 0 or a negative errno.</summary>
    [BpfHelper(87)]
    public static long MapPushElem(BpfMap map, void* value, ulong flags) => throw new BpfOnlyException("Helpers.MapPushElem");

    /// <summary><c>bpf_map_pop_elem</c> (88): queue/stack pop into <paramref name="value"/>; 0 or a negative errno.</summary>
    [BpfHelper(88)]
    public static long MapPopElem(BpfMap map, void* value) => throw new BpfOnlyException("Helpers.MapPopElem");

    /// <summary><c>bpf_map_peek_elem</c> (89): queue/stack peek into <paramref name="value"/>; 0 or a negative errno.</summary>
    [BpfHelper(89)]
    public static long MapPeekElem(BpfMap map, void* value) => throw new BpfOnlyException("Helpers.MapPeekElem");

    /// <summary><c>bpf_map_lookup_percpu_elem</c> (195): CPU <paramref name="cpu"/>'s value of a per-CPU map, or null.</summary>
    [BpfHelper(195)]
    public static void* MapLookupPercpuElem(BpfMap map, void* key, uint cpu) => throw new BpfOnlyException("Helpers.MapLookupPercpuElem");

    /// <summary>
    /// <c>bpf_for_each_map_elem</c> (164): calls <paramref name="callback"/>(map, key, value, ctx) for each element
    /// until it returns 1; returns the number of elements visited.
    /// </summary>
    [BpfHelper(164)]
    public static long ForEachMapElem(BpfMap map, delegate*<void*, void*, void*, void*, long> callback, void* ctx, ulong flags)
        => throw new BpfOnlyException("Helpers.ForEachMapElem");

    /// <summary><c>bpf_ringbuf_output</c> (130): copies <paramref name="size"/> bytes into a new record; 0 or a negative errno.</summary>
    [BpfHelper(130)]
    public static long RingBufOutput(BpfMap ringbuf, void* data, ulong size, ulong flags) => throw new BpfOnlyException("Helpers.RingBufOutput");

    /// <summary><c>bpf_ringbuf_reserve</c> (131): a record of <paramref name="size"/> bytes (a constant), or null.</summary>
    [BpfHelper(131)]
    public static void* RingBufReserve(BpfMap ringbuf, ulong size, ulong flags) => throw new BpfOnlyException("Helpers.RingBufReserve");

    /// <summary><c>bpf_ringbuf_submit</c> (132): publishes a reserved record.</summary>
    [BpfHelper(132)]
    public static void RingBufSubmit(void* data, ulong flags) => throw new BpfOnlyException("Helpers.RingBufSubmit");

    /// <summary><c>bpf_ringbuf_discard</c> (133): drops a reserved record.</summary>
    [BpfHelper(133)]
    public static void RingBufDiscard(void* data, ulong flags) => throw new BpfOnlyException("Helpers.RingBufDiscard");

    /// <summary><c>bpf_ringbuf_query</c> (134): a position or size of the ring (<see cref="RingBufQuery"/>).</summary>
    [BpfHelper(134)]
    public static ulong RingBufQuery(BpfMap ringbuf, ulong flags) => throw new BpfOnlyException("Helpers.RingBufQuery");

    /// <summary><c>bpf_perf_event_output</c> (25): writes <paramref name="size"/> bytes to a perf event array; 0 or a negative errno.</summary>
    [BpfHelper(25)]
    public static long PerfEventOutput(void* ctx, BpfMap map, ulong flags, void* data, ulong size) => throw new BpfOnlyException("Helpers.PerfEventOutput");

    /// <summary><c>bpf_tail_call</c> (12): jumps to program <paramref name="index"/> of a program array; returns only on failure (negative errno).</summary>
    [BpfHelper(12)]
    public static long TailCall(void* ctx, BpfMap programArray, uint index) => throw new BpfOnlyException("Helpers.TailCall");

    /// <summary><c>bpf_get_stackid</c> (27): stores the current stack in a stack-trace map; its id or a negative errno.</summary>
    [BpfHelper(27)]
    public static long GetStackId(void* ctx, BpfMap map, ulong flags) => throw new BpfOnlyException("Helpers.GetStackId");
}
