using BpfSharp.Abi;
using BpfSharp.Links;
using BpfSharp.Maps;
using BpfSharp.Programs;

namespace BpfSharp.Objects;

public sealed partial class BpfObject
{
    /// <summary>The links <see cref="AttachAll"/> made, by program name; disposed with the object, before its programs.</summary>
    readonly Dictionary<string, BpfLink> links = new(StringComparer.Ordinal);

    /// <summary>The links this object owns (made by <see cref="AttachAll"/>), by program name (or map name, for maps that attach).</summary>
    public IReadOnlyDictionary<string, BpfLink> Links => links;

    /// <summary>Map types whose maps attach by themselves (a struct_ops map registers its ops), one row per type.</summary>
    static readonly (BpfMapType Type, Func<BpfMap, BpfLink> Attach)[] MapAttachers =
    [
        // e.g. (BpfMapType.StructOps, map => StructOpsLink.Attach(map)),
    ];

    /// <summary>
    /// Attaches every loaded program whose section name says where (libbpf's auto-attach: tracepoint, raw_tp, tp_btf,
    /// fentry/fexit/fmod_ret/lsm, kprobe/kretprobe, kprobe.multi, ksyscall, iter …; see <see cref="SectionAttach"/>) and
    /// skips the others with the reason (XDP, tc, cgroup, socket … need a target the section does not give). The object
    /// owns the links. Programs attached by an earlier call are skipped.
    /// </summary>
    /// <exception cref="BpfObjectException">An attach failed: names the program and section, with the kernel's error inside;
    /// the links this call made are detached again.</exception>
    public AttachAllResult AttachAll()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var attached = new List<AttachedProgram>();
        var skipped = new List<SkippedProgram>();
        foreach (ProgramDefinition definition in Spec.Programs)
        {
            if (!programs.TryGetValue(definition.Name, out BpfProgram? program))
            {
                skipped.Add(new(definition.Name, definition.SectionName, "not loaded (its autoload is off)."));
                continue;
            }
            if (links.ContainsKey(definition.Name))
            {
                skipped.Add(new(definition.Name, definition.SectionName, "already attached by this object."));
                continue;
            }
            if (!SectionAttach.CanAttach(definition, out string reason))
            {
                skipped.Add(new(definition.Name, definition.SectionName, reason));
                continue;
            }
            try
            {
                attached.Add(new(definition.Name, definition.SectionName, SectionAttach.Attach(program, definition)));
            }
            catch (Exception e) when (e is BpfException or ArgumentException or IOException or UnauthorizedAccessException)
            {
                foreach (AttachedProgram a in attached) a.Link.Dispose();
                throw new BpfObjectException(Name, $"program '{definition.Name}' (section '{definition.SectionName}')", $"attaching failed: {e.Message}", e);
            }
        }
        foreach ((BpfMapType type, Func<BpfMap, BpfLink> attach) in MapAttachers)
        {
            foreach ((string name, BpfMap map) in maps)
            {
                if (map.Type != type || links.ContainsKey(name)) continue;
                try
                {
                    attached.Add(new(name, Spec.FindMap(name)?.SectionName ?? "", attach(map)));
                }
                catch (Exception e) when (e is BpfException or ArgumentException or IOException)
                {
                    foreach (AttachedProgram a in attached) a.Link.Dispose();
                    throw new BpfObjectException(Name, $"map '{name}'", $"attaching failed: {e.Message}", e);
                }
            }
        }
        foreach (AttachedProgram a in attached) links[a.Name] = a.Link;
        return new AttachAllResult(attached, skipped);
    }

    void DisposeLinks()
    {
        foreach (BpfLink link in links.Values) link.Dispose();
        links.Clear();
    }
}
