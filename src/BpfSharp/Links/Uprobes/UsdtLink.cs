using BpfSharp.Abi;
using BpfSharp.Elf;
using BpfSharp.Maps;
using BpfSharp.Objects;
using BpfSharp.Programs;

namespace BpfSharp.Links.Uprobes;

/// <summary>
/// A kprobe program attached to every call site of a USDT probe (<c>provider:name</c> from the binary's
/// <c>.note.stapsdt</c>), with the USDT semaphore managed by the kernel while attached, and — given the object's
/// <c>__bpf_usdt_specs</c> map — libbpf's argument protocol, so a C program using <c>&lt;bpf/usdt.bpf.h&gt;</c>
/// (<c>BPF_USDT</c>, <c>bpf_usdt_arg</c>, <c>bpf_usdt_cookie</c>) reads the probe's arguments. Disposing detaches every
/// site and frees the spec slots.
/// </summary>
/// <example>
/// <code>
/// using var bpf = BpfObject.Load("usdt.bpf.o");
/// using UsdtLink link = UsdtLink.Attach(bpf, "on_request", "/usr/bin/server", "server", "request", new UsdtOptions { Pid = pid });
/// </code>
/// </example>
public sealed class UsdtLink : IDisposable
{
    readonly BpfLink[] links;
    readonly int[] specIds;
    readonly uint specMapId;
    bool disposed;

    UsdtLink(string path, string provider, string name, IReadOnlyList<UsdtProbe> sites, BpfLink[] links, int[] specIds, uint specMapId, bool multi)
    {
        BinaryPath = path;
        Provider = provider;
        Name = name;
        Sites = sites;
        this.links = links;
        this.specIds = specIds;
        this.specMapId = specMapId;
        IsUprobeMulti = multi;
    }

    /// <summary>The resolved path of the binary the probe is in.</summary>
    public string BinaryPath { get; }

    public string Provider { get; }

    public string Name { get; }

    /// <summary>The call sites attached to.</summary>
    public IReadOnlyList<UsdtProbe> Sites { get; }

    /// <summary>The kernel links: one uprobe_multi link, or one uprobe link per site (each can be pinned or inspected).</summary>
    public IReadOnlyList<BpfLink> Links => links;

    /// <summary>True when all sites share one uprobe_multi link.</summary>
    public bool IsUprobeMulti { get; }

    /// <summary>The slots of the spec map this attachment filled (one per distinct argument layout); empty without a spec map.</summary>
    public IReadOnlyList<int> SpecIds => specIds;

    /// <summary>
    /// Attaches <paramref name="program"/> to every site of <paramref name="provider"/>:<paramref name="name"/> in
    /// <paramref name="binary"/> (a path, a library name such as <c>libc.so.6</c>, or a program on PATH).
    /// </summary>
    /// <exception cref="UprobeTargetException">No such binary or probe (near matches listed), or an argument spec that cannot be read.</exception>
    /// <exception cref="BpfSyscallException">The kernel refused a perf event or link.</exception>
    public static UsdtLink Attach(BpfProgram program, string binary, string provider, string name, UsdtOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(program);
        options ??= new UsdtOptions();
        if (options.Pid is < 0) throw new ArgumentOutOfRangeException(nameof(options), options.Pid, "Pid must be null (every process) or a process id ≥ 0.");
        string path = BinaryLocator.Resolve(binary, options.Pid);
        IReadOnlyList<UsdtProbe> sites;
        ushort machine;
        using (NativeElfFile elf = UprobeLink.OpenElf(path))
        {
            sites = UsdtProbe.Find(elf, provider, name);
            machine = elf.Machine;
        }

        ulong[] cookies = new ulong[sites.Count];
        int[] specIds = [];
        uint specMapId = 0;
        if (options.Specs is { } specs)
        {
            (specIds, specMapId) = WriteSpecs(specs, sites, machine, options.Cookie, cookies, path);
        }
        else
        {
            Array.Fill(cookies, options.Cookie);
        }

        try
        {
            ulong[] offsets = sites.Select(s => s.FileOffset).ToArray();
            ulong[] semaphores = sites.Select(s => s.SemaphoreOffset).ToArray();
            string what = $"{program} at usdt {path}:{provider}:{name}";
            if (options.Mode != UsdtAttachMode.PerSite)
            {
                int? pid = options.Pid == 0 ? Environment.ProcessId : options.Pid;
                try
                {
                    BpfLink multi = UprobeLinks.CreateMultiLink(program, path, offsets, semaphores, cookies, retprobe: false, pid,
                        $"{what} ({sites.Count} sites, uprobe_multi){(pid is { } p ? $" (pid {p})" : "")}");
                    return new UsdtLink(path, provider, name, sites, [multi], specIds, specMapId, multi: true);
                }
                catch (BpfSyscallException e) when (options.Mode == UsdtAttachMode.Auto && e.Errno == Errno.EINVAL)
                {
                    // Not loaded for uprobe_multi (or a kernel without it): one uprobe per site works for any kprobe program.
                }
            }
            var links = new List<BpfLink>(sites.Count);
            try
            {
                for (int i = 0; i < sites.Count; i++)
                    links.Add(UprobeLink.AttachAt(program, path, offsets[i],
                        new UprobeOptions { Pid = options.Pid, Cookie = cookies[i], RefCounterOffset = semaphores[i] },
                        $"usdt {provider}:{name} site {i} (0x{sites[i].Address:x})"));
            }
            catch
            {
                foreach (BpfLink l in links) l.Dispose();
                throw;
            }
            return new UsdtLink(path, provider, name, sites, [.. links], specIds, specMapId, multi: false);
        }
        catch
        {
            UsdtSpecIds.Release(specMapId, specIds);
            throw;
        }
    }

    /// <summary>
    /// Attaches the program <paramref name="programName"/> of <paramref name="bpf"/>, using the object's
    /// <c>__bpf_usdt_specs</c> map when it has one (it does when its source includes <c>&lt;bpf/usdt.bpf.h&gt;</c>).
    /// </summary>
    public static UsdtLink Attach(BpfObject bpf, string programName, string binary, string provider, string name, UsdtOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(bpf);
        options ??= new UsdtOptions();
        if (options.Specs is null && bpf.Maps.TryGetValue(UsdtSpec.MapName, out BpfMap? specs)) options = options with { Specs = specs };
        return Attach(bpf.Program(programName), binary, provider, name, options);
    }

    /// <summary>
    /// Attaches as libbpf would for <c>usdt/PATH:PROVIDER:NAME</c> (or <c>usdt.s/…</c>), to every process or the one
    /// <paramref name="pid"/> names; <paramref name="specs"/> is the object's <c>__bpf_usdt_specs</c> map, if any.
    /// </summary>
    /// <returns>The link, or null for a bare <c>usdt</c> section, which names no target.</returns>
    public static UsdtLink? FromSection(BpfProgram program, string section, BpfMap? specs, int? pid = null)
    {
        ArgumentNullException.ThrowIfNull(program);
        UprobeSection parsed = UprobeSection.Parse(section) is { Kind: UprobeSectionKind.Usdt } s
            ? s
            : throw new ArgumentException($"section '{section}' is not a usdt/ section.", nameof(section));
        if (parsed.Binary is null) return null;
        return Attach(program, parsed.Binary, parsed.Provider!, parsed.Name!, new UsdtOptions { Pid = pid, Specs = specs });
    }

    /// <summary>Fills one spec slot per distinct argument spec and sets each site's BPF cookie to its slot.</summary>
    static (int[] Ids, uint MapId) WriteSpecs(BpfMap specs, IReadOnlyList<UsdtProbe> sites, ushort machine, ulong usdtCookie, ulong[] cookies, string path)
    {
        if (specs.Type != BpfMapType.Array || specs.KeySize != 4 || specs.ValueSize != UsdtSpec.Size)
            throw new ArgumentException(
                $"{specs} is not libbpf's USDT spec map: expected an array with 4-byte keys and {UsdtSpec.Size}-byte values " +
                $"(struct __bpf_usdt_spec, the map '{UsdtSpec.MapName}' that <bpf/usdt.bpf.h> declares).", nameof(specs));
        // Sites with the same argument spec share a slot, as in libbpf.
        List<string> distinct = sites.Select(s => s.Arguments).Distinct(StringComparer.Ordinal).ToList();
        var values = new List<byte[]>(distinct.Count);
        foreach (string spec in distinct)
        {
            try
            {
                values.Add(UsdtSpec.Encode(UsdtArgument.ParseAll(spec, machine), usdtCookie));
            }
            catch (UprobeTargetException e)
            {
                throw new UprobeTargetException($"'{path}': {e.Message}", path, e);
            }
        }
        uint mapId = specs.GetInfo().Id;
        int[] ids = UsdtSpecIds.Allocate(specs, mapId, distinct.Count);
        try
        {
            Span<byte> key = stackalloc byte[4];
            for (int i = 0; i < ids.Length; i++)
            {
                BitConverter.TryWriteBytes(key, ids[i]);
                specs.Update(key, values[i]);
            }
        }
        catch
        {
            UsdtSpecIds.Release(mapId, ids);
            throw;
        }
        for (int i = 0; i < sites.Count; i++)
            cookies[i] = (ulong)ids[distinct.IndexOf(sites[i].Arguments)];
        return (ids, mapId);
    }

    /// <summary>Detaches every site (links pinned elsewhere stay) and frees the spec slots.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        foreach (BpfLink link in links) link.Dispose();
        UsdtSpecIds.Release(specMapId, specIds);
    }

    public override string ToString() =>
        $"usdt {BinaryPath}:{Provider}:{Name} ({Sites.Count} sites, {(IsUprobeMulti ? "one uprobe_multi link" : $"{links.Length} uprobe links")})";
}
