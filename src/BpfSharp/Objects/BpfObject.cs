using BpfSharp.Btf;
using BpfSharp.Interop;
using BpfSharp.Maps;
using BpfSharp.Programs;

namespace BpfSharp.Objects;

/// <summary>
/// An eBPF object loaded into the kernel: its BTF, maps and programs, by the names the object gives them.
/// Disposing detaches the links it made (<see cref="AttachAll"/>) and closes every fd; pinned maps and links stay.
/// </summary>
/// <example><code>
/// using var obj = BpfObject.Load("counter.bpf.o", o => o.SetGlobal("target_pid", 1234u));
/// var counts = obj.Map&lt;HashMap&lt;uint, ulong&gt;&gt;("counts");
/// </code></example>
public sealed partial class BpfObject : IDisposable
{
    readonly Dictionary<string, BpfMap> maps;
    readonly Dictionary<string, BpfProgram> programs;
    readonly List<IDisposable> resources;
    bool disposed;

    BpfObject(ObjectSpec spec, BtfHandle? btf, Dictionary<string, BpfMap> maps, Dictionary<string, BpfProgram> programs, List<IDisposable> resources)
    {
        this.resources = resources;
        Spec = spec;
        Btf = btf;
        this.maps = maps;
        this.programs = programs;
    }

    /// <summary>The object's name (its file name up to the first dot, as libbpf names it).</summary>
    public string Name => Spec.Name;

    /// <summary>What was read from the object file.</summary>
    public ObjectSpec Spec { get; }

    /// <summary>The object's BTF in the kernel, or null when it has none (or the kernel refused it and nothing needed it).</summary>
    public BtfHandle? Btf { get; }

    /// <summary>Every created map by its name in the object (global data maps by section name: <c>.rodata</c>, <c>.bss</c> …).</summary>
    public IReadOnlyDictionary<string, BpfMap> Maps => maps;

    /// <summary>Every loaded program by its function name (programs whose autoload was off are absent).</summary>
    public IReadOnlyDictionary<string, BpfProgram> Programs => programs;

    /// <summary>Reads and loads an object file.</summary>
    public static BpfObject Load(string path, ObjectLoadOptions? options = null, ISyscalls? syscalls = null) =>
        Load(ObjectReader.ReadFile(path), options, syscalls);

    /// <summary>Reads and loads an object file, configuring the load first.</summary>
    public static BpfObject Load(string path, Action<ObjectLoadOptions> configure)
    {
        var options = new ObjectLoadOptions();
        configure(options);
        return Load(path, options);
    }

    /// <summary>Loads an object from its ELF bytes; <paramref name="name"/> names it as a file name would.</summary>
    public static BpfObject Load(ReadOnlySpan<byte> elf, string name, ObjectLoadOptions? options = null, ISyscalls? syscalls = null) =>
        Load(ObjectReader.Read(elf, name), options, syscalls);

    /// <summary>Loads an object spec (read from a file or produced by the compiler).</summary>
    public static BpfObject Load(ObjectSpec spec, ObjectLoadOptions? options = null, ISyscalls? syscalls = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var loader = new ObjectLoader(spec, options ?? new ObjectLoadOptions(), syscalls ?? LinuxSyscalls.Instance);
        return loader.Run((btf, m, p, r) => new BpfObject(spec, btf, m, p, r));
    }

    /// <summary>The map named <paramref name="name"/> in the object.</summary>
    /// <exception cref="KeyNotFoundException">No such map; the message lists the maps there are.</exception>
    public BpfMap Map(string name)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        return maps.TryGetValue(name, out BpfMap? map) ? map
            : throw new KeyNotFoundException($"object '{Name}' has no map '{name}'; its maps: {string.Join(", ", maps.Keys.Order())}.");
    }

    /// <summary>The map named <paramref name="name"/>, typed (e.g. <c>Map&lt;HashMap&lt;uint, ulong&gt;&gt;("counts")</c>).</summary>
    /// <exception cref="BpfTypeMismatchException">The map's type or key/value sizes do not fit <typeparamref name="TMap"/>.</exception>
    public TMap Map<TMap>(string name) where TMap : ITypedMapView<TMap> => TMap.Wrap(Map(name));

    /// <summary>The program named <paramref name="name"/> (its function name).</summary>
    /// <exception cref="KeyNotFoundException">No such loaded program; the message lists those there are.</exception>
    public BpfProgram Program(string name)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (programs.TryGetValue(name, out BpfProgram? program)) return program;
        string why = Spec.FindProgram(name) is { } p ? " (it was not loaded: its autoload is off)" : "";
        throw new KeyNotFoundException($"object '{Name}' has no loaded program '{name}'{why}; its programs: {string.Join(", ", programs.Keys.Order())}.");
    }

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        DisposeLinks();
        foreach (BpfProgram p in programs.Values) p.Dispose();
        foreach (IDisposable r in resources) r.Dispose();
        foreach (BpfMap m in maps.Values) m.Dispose();
        Btf?.Dispose();
    }

    public override string ToString() => $"object '{Name}' ({maps.Count} maps, {programs.Count} programs)";
}
