using BpfSharp.Abi;
using BpfSharp.Links;
using BpfSharp.Links.Uprobes;
using BpfSharp.Maps;
using BpfSharp.Programs;

namespace BpfSharp.Objects;

public sealed partial class BpfObject
{
    /// <summary>The links <see cref="AttachAll"/> made, by program name; disposed with the object, before its programs.</summary>
    readonly Dictionary<string, BpfLink> links = new(StringComparer.Ordinal);

    /// <summary>The links this object owns (made by <see cref="AttachAll"/>), by program name (or map name, for maps that attach).</summary>
    public IReadOnlyDictionary<string, BpfLink> Links => links;

    /// <summary>Attachments made of several links (USDT probes with one link per call site), disposed with <see cref="links"/>.</summary>
    readonly List<IDisposable> linkGroups = [];

    /// <summary>
    /// Attaches every loaded program whose section name says where (libbpf's auto-attach: tracepoint, raw_tp, tp_btf,
    /// fentry/fexit/fmod_ret/lsm, kprobe/kretprobe, kprobe.multi, ksyscall, iter …; see <see cref="SectionAttach"/>) and
    /// skips the others with the reason (XDP, tc, cgroup, socket … need a target the section does not give). The object
    /// owns the links. struct_ops maps are registered too: by link for <c>SEC(".struct_ops.link")</c>, by writing their value
    /// for <c>SEC(".struct_ops")</c>. USDT probes attach with the object's spec map. Programs attached by an earlier call are skipped.
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
                attached.Add(SectionAttach.IsUsdt(definition)
                    ? AttachUsdt(program, definition)
                    : new(definition.Name, definition.SectionName, SectionAttach.Attach(program, definition)));
            }
            catch (Exception e) when (e is BpfException or ArgumentException or IOException or UnauthorizedAccessException)
            {
                DisposeAll(attached);
                throw new BpfObjectException(Name, $"program '{definition.Name}' (section '{definition.SectionName}')", $"attaching failed: {e.Message}", e);
            }
        }
        foreach (MapDefinition definition in Spec.Maps)
        {
            if (definition.Origin != MapOrigin.StructOps || !maps.ContainsKey(definition.Name) || links.ContainsKey(definition.Name)) continue;
            try
            {
                attached.Add((definition.Flags & MapCreateFlags.Link) != 0
                    ? new(definition.Name, definition.SectionName, AttachStructOps(definition.Name))
                    : new(definition.Name, definition.SectionName, null, RegisterStructOps(definition.Name)));
            }
            catch (Exception e) when (e is BpfException or ArgumentException or IOException)
            {
                DisposeAll(attached);
                throw new BpfObjectException(Name, $"struct_ops map '{definition.Name}'", $"registering failed: {e.Message}", e);
            }
        }
        foreach (AttachedProgram a in attached)
        {
            if (a.Link is not null) links[a.Name] = a.Link;
            if (a.Group is not null) linkGroups.Add(a.Group);
        }
        return new AttachAllResult(attached, skipped);
    }

    AttachedProgram AttachUsdt(BpfProgram program, ProgramDefinition definition)
    {
        UsdtLink usdt = UsdtLink.FromSection(program, definition.SectionName, maps.GetValueOrDefault(UsdtSpec.MapName))!;
        return new(definition.Name, definition.SectionName, usdt.Links[0], usdt);
    }

    static void DisposeAll(List<AttachedProgram> attached)
    {
        foreach (AttachedProgram a in attached)
        {
            a.Link?.Dispose();
            a.Group?.Dispose();
        }
    }

    void DisposeLinks()
    {
        foreach (BpfLink link in links.Values) link.Dispose();
        foreach (IDisposable group in linkGroups) group.Dispose();
        links.Clear();
        linkGroups.Clear();
    }
}
