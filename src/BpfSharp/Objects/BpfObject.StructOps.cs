using System.Runtime.InteropServices;
using BpfSharp.Abi;
using BpfSharp.Links;
using BpfSharp.Links.StructOps;
using BpfSharp.Maps;
using BpfSharp.Programs;

namespace BpfSharp.Objects;

public sealed partial class BpfObject
{
    /// <summary>struct_ops maps whose value has been written (the kernel takes it once).</summary>
    readonly HashSet<string> preparedStructOps = new(StringComparer.Ordinal);

    /// <summary>
    /// Registers the <c>SEC(".struct_ops.link")</c> map <paramref name="mapName"/> (e.g. a <c>tcp_congestion_ops</c>)
    /// and returns its link: the implementation is registered until the link is disposed (unless pinned) or detached.
    /// The map's value — its data members and the fds of the programs its function pointers name — is written first.
    /// </summary>
    /// <example><code>
    /// using BpfLink cc = obj.AttachStructOps("my_cc");   // now in /proc/sys/net/ipv4/tcp_available_congestion_control
    /// </code></example>
    /// <exception cref="ArgumentException">The map is in <c>SEC(".struct_ops")</c>: use <see cref="RegisterStructOps"/>.</exception>
    public BpfLink AttachStructOps(string mapName) => StructOpsLink.FromMap(PrepareStructOps(mapName, forLink: true));

    /// <summary>
    /// Registers the <c>SEC(".struct_ops")</c> map <paramref name="mapName"/> the legacy way, by writing its value;
    /// disposing the result unregisters it.
    /// </summary>
    /// <exception cref="ArgumentException">The map is in <c>SEC(".struct_ops.link")</c>: use <see cref="AttachStructOps"/>.</exception>
    public StructOpsRegistration RegisterStructOps(string mapName)
    {
        BpfMap map = PrepareStructOps(mapName, forLink: false);
        return new StructOpsRegistration(BpfMap.FromId(map.GetInfo().Id, map.Fd.Syscalls));
    }

    /// <summary>
    /// Writes the value of the struct_ops map <paramref name="mapName"/> without registering it (for a link map), so
    /// that an existing link can move to it with <see cref="StructOpsLink.Update"/>. Writing happens once; later
    /// calls return the map as it is.
    /// </summary>
    public BpfMap PrepareStructOps(string mapName) => PrepareStructOps(mapName, forLink: true);

    BpfMap PrepareStructOps(string mapName, bool forLink)
    {
        BpfMap map = Map(mapName);
        MapDefinition definition = Spec.FindMap(mapName) is { Origin: MapOrigin.StructOps } d ? d
            : throw new ArgumentException($"map '{mapName}' of object '{Name}' is a {map.Type} map, not a struct_ops map (a SEC(\".struct_ops\") or SEC(\".struct_ops.link\") variable).", nameof(mapName));
        bool isLink = (definition.Flags & MapCreateFlags.Link) != 0;
        if (isLink != forLink)
            throw new ArgumentException(isLink
                ? $"struct_ops map '{mapName}' is in SEC(\"{definition.SectionName}\"): it registers through a link; use AttachStructOps(\"{mapName}\")."
                : $"struct_ops map '{mapName}' is in SEC(\"{definition.SectionName}\"): writing its value registers it, without a link; use RegisterStructOps(\"{mapName}\"), " +
                  "or declare it in SEC(\".struct_ops.link\") to get a link.", nameof(mapName));
        lock (preparedStructOps)
        {
            if (preparedStructOps.Contains(mapName)) return map;
            WriteStructOpsValue(definition, map);
            preparedStructOps.Add(mapName);
        }
        return map;
    }

    /// <summary>Lays the value out against the running kernel's BTF (not a <see cref="ObjectLoadOptions.KernelBtf"/> given at load).</summary>
    void WriteStructOpsValue(MapDefinition definition, BpfMap map)
    {
        Btf.BtfSpec kernel = Features.ProbeBtf.Vmlinux
            ?? throw new BpfObjectException(Name, $"struct_ops map '{definition.Name}'", "needs the kernel's BTF (/sys/kernel/btf/vmlinux) to lay out its value.");
        // keep every program fd the value names open until the kernel has taken its references
        var held = new List<SafeHandle>();
        try
        {
            byte[] value = ObjectLoader.StructOpsValue(Spec, definition, kernel, name =>
            {
                BpfProgram program = Program(name);
                bool added = false;
                program.Fd.DangerousAddRef(ref added);
                held.Add(program.Fd);
                return (int)program.Fd.DangerousGetHandle();
            });
            try { map.Update(stackalloc byte[4], value); }
            catch (BpfSyscallException e) when (e.Errno is Errno.EEXIST or Errno.EINVAL or Errno.EBUSY)
            {
                throw new BpfSyscallException(BpfCommand.MapUpdateElem, (int)e.Errno, $"writing the value of struct_ops map '{definition.Name}'", e.Errno switch
                {
                    Errno.EEXIST => "an implementation of that name is already registered (a congestion control's name must be unique).",
                    Errno.EBUSY => "the map's value was written before (the kernel takes it once).",
                    _ => "the kernel rejected a member: a required function missing (tcp_congestion_ops needs ssthresh, cong_avoid or cong_control, and undo_cwnd), " +
                         "a name empty or too long, or a data member the kernel does not allow to be set.",
                });
            }
        }
        finally
        {
            foreach (SafeHandle h in held) h.DangerousRelease();
        }
    }
}
