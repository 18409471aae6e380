namespace BpfSharp.Kernel;

// Debug output, stacks and the arguments of tracing programs.
public static unsafe partial class Helpers
{
    /// <summary>
    /// <c>bpf_trace_printk</c> (6): writes a line to <c>/sys/kernel/tracing/trace_pipe</c>. <paramref name="fmt"/> points to
    /// <paramref name="fmtSize"/> bytes including the NUL, in read-only data; at most three arguments; <c>%d %u %x %ld
    /// %lu %lx %llx %p %s</c> and friends. Slow: for debugging only.
    /// </summary>
    [BpfHelper(6)]
    public static long TracePrintk(byte* fmt, uint fmtSize, ulong a1, ulong a2, ulong a3) => throw new BpfOnlyException("Helpers.TracePrintk");

    /// <summary>
    /// <c>bpf_trace_printk</c> (6) with a C# string as the format. Only a constant string (a literal or a <c>const</c>)
    /// is allowed: the compiler places it, NUL-terminated, in <c>.rodata</c> and passes its address and size. Use the
    /// kernel's printf conventions (<c>%d</c>, <c>%llu</c>, …), not C# interpolation.
    /// </summary>
    [BpfHelper(6)]
    public static long TracePrintk(string format, ulong a1 = 0, ulong a2 = 0, ulong a3 = 0) => throw new BpfOnlyException("Helpers.TracePrintk");

    /// <summary><c>bpf_get_stack</c> (67): the current stack's return addresses into <paramref name="buf"/>; the bytes written or a negative errno.</summary>
    [BpfHelper(67)]
    public static long GetStack(void* ctx, void* buf, uint size, ulong flags) => throw new BpfOnlyException("Helpers.GetStack");

    /// <summary><c>bpf_get_func_ip</c> (173): the address of the traced function (kprobe, fentry/fexit).</summary>
    [BpfHelper(173)]
    public static ulong GetFuncIp(void* ctx) => throw new BpfOnlyException("Helpers.GetFuncIp");

    /// <summary><c>bpf_get_attach_cookie</c> (174): the cookie given when the program was attached.</summary>
    [BpfHelper(174)]
    public static ulong GetAttachCookie(void* ctx) => throw new BpfOnlyException("Helpers.GetAttachCookie");

    /// <summary><c>bpf_get_func_arg</c> (183): argument <paramref name="n"/> of the traced function into <paramref name="value"/> (fentry/fexit); 0 or -EINVAL.</summary>
    [BpfHelper(183)]
    public static long GetFuncArg(void* ctx, uint n, ulong* value) => throw new BpfOnlyException("Helpers.GetFuncArg");

    /// <summary><c>bpf_get_func_ret</c> (184): the traced function's return value into <paramref name="value"/> (fexit); 0 or a negative errno.</summary>
    [BpfHelper(184)]
    public static long GetFuncRet(void* ctx, ulong* value) => throw new BpfOnlyException("Helpers.GetFuncRet");

    /// <summary><c>bpf_get_func_arg_cnt</c> (185): how many arguments the traced function takes (fentry/fexit).</summary>
    [BpfHelper(185)]
    public static long GetFuncArgCnt(void* ctx) => throw new BpfOnlyException("Helpers.GetFuncArgCnt");

    /// <summary>
    /// <c>bpf_loop</c> (181): calls <paramref name="callback"/>(i, <paramref name="ctx"/>) for i = 0 … <paramref name="count"/>-1
    /// until it returns 1; returns the number of calls made. <paramref name="callback"/> is a static method of the
    /// module (<c>&amp;Step</c>); the verifier checks it once, whatever the count.
    /// </summary>
    [BpfHelper(181)]
    public static long Loop(uint count, delegate*<uint, void*, long> callback, void* ctx, ulong flags = 0) => throw new BpfOnlyException("Helpers.Loop");

    /// <summary>As <see cref="Loop(uint, delegate*{uint, void*, long}, void*, ulong)"/> with a typed context.</summary>
    public static long Loop<TContext>(uint count, delegate*<uint, TContext*, long> callback, TContext* ctx) where TContext : unmanaged =>
        Loop(count, (delegate*<uint, void*, long>)callback, ctx, 0);
}
