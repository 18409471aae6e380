namespace BpfSharp.Kernel;

/// <summary>
/// A tracepoint program (section <c>tracepoint/CATEGORY/NAME</c>): takes a pointer or <c>ref</c> to the user's struct
/// describing the tracepoint's format (<c>/sys/kernel/tracing/events/CATEGORY/NAME/format</c>), whose first field is a
/// <see cref="TracepointCommon"/>.
/// </summary>
public sealed class TracepointAttribute(string category, string name) : ProgramAttribute
{
    /// <summary>The tracepoint's category (subsystem), e.g. <c>syscalls</c>.</summary>
    public string Category { get; } = category;
    /// <summary>The tracepoint's name, e.g. <c>sys_enter_openat</c>.</summary>
    public string Name { get; } = name;
}

/// <summary>A raw tracepoint (section <c>raw_tracepoint/NAME</c>): takes <c>TracingArgs*</c>/<c>ref TracingArgs</c> or <c>ulong*</c>, the tracepoint's raw arguments.</summary>
public sealed class RawTracepointAttribute(string name) : ProgramAttribute
{
    /// <summary>The tracepoint, e.g. <c>sched_switch</c>.</summary>
    public string Name { get; } = name;
}

/// <summary>A BTF-typed raw tracepoint (section <c>tp_btf/NAME</c>): arguments as for <see cref="RawTracepointAttribute"/>.</summary>
public sealed class TpBtfAttribute(string name) : ProgramAttribute
{
    /// <summary>The tracepoint, e.g. <c>sched_switch</c>.</summary>
    public string Name { get; } = name;
}

/// <summary>A program run on entry of a kernel function (section <c>fentry/FUNC</c>): takes <c>TracingArgs*</c> or <c>ulong*</c>, the function's arguments.</summary>
public sealed class FentryAttribute(string function) : ProgramAttribute
{
    /// <summary>The kernel function.</summary>
    public string Function { get; } = function;
}

/// <summary>A program run on exit of a kernel function (section <c>fexit/FUNC</c>): arguments, then the return value, as <see cref="TracingArgs"/>.</summary>
public sealed class FexitAttribute(string function) : ProgramAttribute
{
    /// <summary>The kernel function.</summary>
    public string Function { get; } = function;
}

/// <summary>A kprobe (section <c>kprobe/FUNC</c>, or <c>kprobe</c> when the target is given at attach time): takes <c>PtRegs*</c> or <c>void*</c>.</summary>
public sealed class KprobeAttribute : ProgramAttribute
{
    /// <summary>A kprobe whose target is given at attach time.</summary>
    public KprobeAttribute() { }
    /// <summary>A kprobe on <paramref name="function"/>.</summary>
    public KprobeAttribute(string function) => Function = function;
    /// <summary>The kernel function, or null.</summary>
    public string? Function { get; }
}

/// <summary>A kretprobe (section <c>kretprobe/FUNC</c> or <c>kretprobe</c>): takes <c>PtRegs*</c> or <c>void*</c>.</summary>
public sealed class KretprobeAttribute : ProgramAttribute
{
    /// <summary>A kretprobe whose target is given at attach time.</summary>
    public KretprobeAttribute() { }
    /// <summary>A kretprobe on <paramref name="function"/>.</summary>
    public KretprobeAttribute(string function) => Function = function;
    /// <summary>The kernel function, or null.</summary>
    public string? Function { get; }
}

/// <summary>
/// A uprobe (section <c>uprobe</c>, or <c>uprobe/BINARY:FUNCTION</c> for libbpf's auto-attach): takes <c>PtRegs*</c> or
/// <c>void*</c>. <see cref="Sleepable"/> gives <c>uprobe.s</c>.
/// </summary>
public sealed class UprobeAttribute : ProgramAttribute
{
    /// <summary>A uprobe whose target is given at attach time.</summary>
    public UprobeAttribute() { }
    /// <summary>A uprobe on <paramref name="function"/> (a symbol, or <c>SYMBOL+OFFSET</c>) in <paramref name="binary"/> (a path).</summary>
    public UprobeAttribute(string binary, string function) { Binary = binary; Function = function; }
    /// <summary>The binary's path, or null.</summary>
    public string? Binary { get; }
    /// <summary>The function, or null.</summary>
    public string? Function { get; }
    /// <summary>Loaded sleepable (may fault user memory in, e.g. with <c>copy_from_user</c>).</summary>
    public bool Sleepable { get; set; }
}

/// <summary>A uretprobe (section <c>uretprobe</c> or <c>uretprobe/BINARY:FUNCTION</c>): as <see cref="UprobeAttribute"/>.</summary>
public sealed class UretprobeAttribute : ProgramAttribute
{
    /// <summary>A uretprobe whose target is given at attach time.</summary>
    public UretprobeAttribute() { }
    /// <summary>A uretprobe on <paramref name="function"/> in <paramref name="binary"/>.</summary>
    public UretprobeAttribute(string binary, string function) { Binary = binary; Function = function; }
    /// <summary>The binary's path, or null.</summary>
    public string? Binary { get; }
    /// <summary>The function, or null.</summary>
    public string? Function { get; }
    /// <summary>Loaded sleepable.</summary>
    public bool Sleepable { get; set; }
}

/// <summary>A perf event program (section <c>perf_event</c>): takes <c>void*</c> (<c>struct bpf_perf_event_data</c>).</summary>
public sealed class PerfEventAttribute : ProgramAttribute { }

/// <summary>A syscall program (section <c>syscall</c>, run with BPF_PROG_TEST_RUN): takes a pointer to the user's argument struct.</summary>
public sealed class SyscallAttribute : ProgramAttribute { }
