using System.Text;
using BpfSharp.Abi;
using BpfSharp.Maps;

namespace BpfSharp.Interop.Tests.Comparison;

/// <summary>
/// One map of a loaded object as the kernel reports it (BPF_OBJ_GET_INFO_BY_FD), in the terms two loaders must agree on.
/// Kernel ids and BTF type ids are left out: they differ between loads of the same object.
/// </summary>
/// <param name="Name">The kernel's name for the map (at most 15 characters; libbpf names global-data maps e.g. <c>globals.rodata</c>).</param>
/// <param name="HasBtfKey">The map was created with a BTF key type.</param>
/// <param name="HasBtfValue">The map was created with a BTF value type.</param>
/// <param name="BtfVmlinuxValueTypeId">The kernel BTF type of a struct_ops map's value; 0 otherwise.</param>
/// <param name="InitialValue">For global-data maps (a one-entry array whose name has a dot): the value at key 0 in hex, i.e.
/// the initial contents the loader wrote (.data, .rodata, .kconfig). Null for every other map.</param>
public sealed record MapSummary(
    string Name,
    BpfMapType Type,
    uint KeySize,
    uint ValueSize,
    uint MaxEntries,
    MapCreateFlags Flags,
    ulong MapExtra,
    bool HasBtfKey,
    bool HasBtfValue,
    uint BtfVmlinuxValueTypeId,
    string? InitialValue)
{
    /// <summary>Reads what the kernel reports about <paramref name="map"/>, and a global-data map's contents.</summary>
    public static MapSummary Read(BpfMap map)
    {
        MapInfo info = map.GetInfo();
        return new MapSummary(info.Name, info.Type, info.KeySize, info.ValueSize, info.MaxEntries, info.Flags, info.MapExtra,
            info.BtfKeyTypeId != 0, info.BtfValueTypeId != 0, info.BtfVmlinuxValueTypeId, ReadInitialValue(map, info));
    }

    static string? ReadInitialValue(BpfMap map, MapInfo info)
    {
        if (info.Type != BpfMapType.Array || info.MaxEntries != 1 || !info.Name.Contains('.')) return null;
        // A frozen or write-only-from-programs map is still readable from user space; BPF_F_WRONLY is not.
        if ((info.Flags & MapCreateFlags.Wronly) != 0) return "(write-only)";
        byte[] value = new byte[map.UserValueSize];
        return map.TryLookup(stackalloc byte[4], value) ? Convert.ToHexStringLower(value) : "(absent)";
    }

    /// <summary>One line: name, type, sizes, flags.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append($"{Name} {Type} key {KeySize} value {ValueSize} max {MaxEntries} flags {Flags}");
        if (MapExtra != 0) sb.Append($" extra {MapExtra}");
        sb.Append(HasBtfKey || HasBtfValue ? $" btf {(HasBtfKey ? "k" : "")}{(HasBtfValue ? "v" : "")}" : " no-btf");
        if (BtfVmlinuxValueTypeId != 0) sb.Append($" vmlinux-value {BtfVmlinuxValueTypeId}");
        if (InitialValue is not null) sb.Append($" = {Shorten(InitialValue)}");
        return sb.ToString();
    }

    internal static string Shorten(string hex) => hex.Length <= 48 ? hex : $"{hex[..40]}…({hex.Length / 2} bytes)";
}
