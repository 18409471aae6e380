using BpfSharp.Abi;
using BpfSharp.Btf;
using BpfSharp.Interop;
using BpfSharp.Maps;
using BpfSharp.Programs;

namespace BpfSharp.Objects;

/// <summary>
/// Turns an <see cref="ObjectSpec"/> into kernel objects in libbpf's order: BTF, maps (pinned ones reused), global
/// data written and <c>.rodata</c> frozen, programs relocated and loaded, then prog-array and map-in-map slots filled.
/// On any failure everything created so far is closed (and maps this load pinned are unpinned) before the error propagates.
/// </summary>
sealed partial class ObjectLoader(ObjectSpec spec, ObjectLoadOptions options, ISyscalls syscalls)
{
    readonly Dictionary<string, BpfMap> maps = new(StringComparer.Ordinal);
    readonly Dictionary<string, BpfProgram> programs = new(StringComparer.Ordinal);
    readonly List<string> pinnedHere = [];
    /// <summary>Kept alive with the object: arena mappings.</summary>
    readonly List<IDisposable> resources = [];
    BtfHandle? btf;
    ObjectBtf? objectBtf;
    BtfSpec? kernelBtf;
    Kconfig? kconfig;

    string ObjectName => spec.Name;

    public T Run<T>(Func<BtfHandle?, Dictionary<string, BpfMap>, Dictionary<string, BpfProgram>, List<IDisposable>, T> make)
    {
        try
        {
            ValidateOptions();
            List<ProgramDefinition> toLoad = spec.Programs.Where(ShouldLoad).ToList();
            objectBtf = ObjectBtf.Prepare(spec, toLoad, syscalls);
            btf = objectBtf?.Handle;
            byte[]? kconfigData = BuildKconfigData();
            foreach (MapDefinition map in spec.Maps)
                if (map.AutoCreate)
                    maps[map.Name] = CreateMap(map, map.Name == ".kconfig" ? kconfigData : null);
            BpfMap? metadata = MetadataMap();
            foreach (ProgramDefinition program in toLoad)
            {
                BpfProgram loaded = programs[program.Name] = LoadProgram(program);
                if (metadata != null) loaded.BindMap(metadata);
            }
            FillInitialSlots();
            return make(btf, maps, programs, resources);
        }
        catch
        {
            foreach (BpfProgram p in programs.Values) p.Dispose();
            foreach (IDisposable r in resources) r.Dispose();
            foreach (BpfMap m in maps.Values) m.Dispose();
            foreach (string path in pinnedHere) File.Delete(path);
            btf?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The section's autoload unless the options override it. A struct_ops program no struct_ops map points at has
    /// nothing to load against, so it is skipped (as newer libbpf does).
    /// </summary>
    /// <summary>
    /// The read-only data map libbpf binds to every program (BPF_PROG_BIND_MAP) so that tools can read an object's
    /// metadata from a loaded program: the last <c>.rodata*</c> section's.
    /// </summary>
    BpfMap? MetadataMap() => spec.Maps.LastOrDefault(m => m.Origin == MapOrigin.Data && m.SectionName.StartsWith(".rodata", StringComparison.Ordinal))
        is { } rodata && maps.TryGetValue(rodata.Name, out BpfMap? map) ? map : null;

    bool ShouldLoad(ProgramDefinition program)
    {
        if (options.Autoload.TryGetValue(program.Name, out bool load)) return load;
        if (program.Type == BpfProgramType.StructOps && !StructOpsTargets.ContainsKey(program.Name)) return false;
        return program.Autoload;
    }

    void ValidateOptions()
    {
        foreach (string name in options.MaxEntries.Keys)
            if (spec.FindMap(name) is null)
                throw new BpfObjectException(ObjectName, $"map '{name}'", $"SetMaxEntries names a map the object does not have; its maps: {string.Join(", ", spec.Maps.Select(m => m.Name))}.");
        foreach (string name in options.Autoload.Keys)
            if (spec.FindProgram(name) is null)
                throw new BpfObjectException(ObjectName, $"program '{name}'", $"SetAutoload names a program the object does not have; its programs: {string.Join(", ", spec.Programs.Select(p => p.Name))}.");
        foreach (string name in options.Globals.Keys)
            if (spec.FindVariable(name) is null)
                throw new BpfObjectException(ObjectName, $"global '{name}'", "SetGlobal names no variable of .data, .rodata or .bss (static variables are found too; check the spelling).");
    }

    internal BtfSpec KernelBtf(string why) => kernelBtf ??= options.KernelBtf ?? Features.ProbeBtf.Vmlinux
        ?? throw new BpfObjectException(ObjectName, why, "needs the kernel's BTF, but /sys/kernel/btf/vmlinux is missing (a kernel built without CONFIG_DEBUG_INFO_BTF). Pass ObjectLoadOptions.KernelBtf to use another file.");

    Kconfig Config => kconfig ??= Kconfig.Load(options.KconfigPath).With(options.Kconfig);
}
