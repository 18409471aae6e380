using System.Runtime.InteropServices;
using BpfSharp.Btf;

namespace BpfSharp.Objects;

/// <summary>
/// How <see cref="BpfObject"/> loads an object: where pinned maps live, map size overrides, global values set
/// before load, which programs load, and the kernel BTF and kconfig to resolve against.
/// </summary>
public sealed class ObjectLoadOptions
{
    readonly Dictionary<string, uint> maxEntries = new(StringComparer.Ordinal);
    readonly Dictionary<string, bool> autoload = new(StringComparer.Ordinal);
    readonly Dictionary<string, byte[]> globals = new(StringComparer.Ordinal);
    readonly Dictionary<string, string> kconfig = new(StringComparer.Ordinal);

    /// <summary>The directory maps with <c>pinning = LIBBPF_PIN_BY_NAME</c> are pinned in (libbpf's default: /sys/fs/bpf).</summary>
    public string PinPath { get; set; } = "/sys/fs/bpf";

    /// <summary>The verifier log level for every program (0: a log only when a load fails).</summary>
    public uint LogLevel { get; set; }

    /// <summary>
    /// The BTF CO-RE relocations, ksyms and BTF attach targets resolve against; null: the running kernel's
    /// <c>/sys/kernel/btf/vmlinux</c> (read once per process).
    /// </summary>
    public BtfSpec? KernelBtf { get; set; }

    /// <summary>
    /// The kernel configuration file (<c>CONFIG_X=y</c> lines, gzip or plain) <c>.kconfig</c> externs are read from;
    /// null: /proc/config.gz, then /boot/config-RELEASE.
    /// </summary>
    public string? KconfigPath { get; set; }

    /// <summary>Overrides <c>max_entries</c> of a map (by its name in the object).</summary>
    public ObjectLoadOptions SetMaxEntries(string map, uint entries)
    {
        maxEntries[map] = entries;
        return this;
    }

    /// <summary>Loads or skips a program (by function name), overriding its section's default (<c>SEC("?…")</c> is off).</summary>
    public ObjectLoadOptions SetAutoload(string program, bool load)
    {
        autoload[program] = load;
        return this;
    }

    /// <summary>
    /// Sets the initial value of a global variable (in <c>.rodata</c>, <c>.data</c> or <c>.bss</c>, or their named
    /// variants) before the object's maps are created. The size of <typeparamref name="T"/> must equal the variable's.
    /// </summary>
    public ObjectLoadOptions SetGlobal<T>(string variable, T value) where T : unmanaged
    {
        globals[variable] = MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in value)).ToArray();
        return this;
    }

    /// <summary>Sets the raw bytes of a global variable before load (for arrays and strings).</summary>
    public ObjectLoadOptions SetGlobalBytes(string variable, ReadOnlySpan<byte> value)
    {
        globals[variable] = value.ToArray();
        return this;
    }

    /// <summary>Overrides one kconfig value (e.g. <c>("CONFIG_HZ", "250")</c>, <c>("CONFIG_BPF_SYSCALL", "y")</c>).</summary>
    public ObjectLoadOptions SetKconfig(string name, string value)
    {
        kconfig[name] = value;
        return this;
    }

    internal IReadOnlyDictionary<string, uint> MaxEntries => maxEntries;
    internal IReadOnlyDictionary<string, bool> Autoload => autoload;
    internal IReadOnlyDictionary<string, byte[]> Globals => globals;
    internal IReadOnlyDictionary<string, string> Kconfig => kconfig;
}
