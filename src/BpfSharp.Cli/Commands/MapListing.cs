using BpfSharp.Maps;

namespace BpfSharp.Cli.Commands;

/// <summary>One entry of <c>map list</c>: what <c>bpftool map list</c> shows, from the map's info.</summary>
sealed record MapListing(uint Id, string Type, string Name, uint Flags, uint BytesKey, uint BytesValue, uint MaxEntries,
    uint BtfId, uint BtfKeyTypeId, uint BtfValueTypeId)
{
    public static MapListing From(MapInfo info) =>
        new(info.Id, info.Type.ToString(), info.Name, (uint)info.Flags, info.KeySize, info.ValueSize, info.MaxEntries,
            info.BtfId, info.BtfKeyTypeId, info.BtfValueTypeId);

    public void WriteText(TextWriter o)
    {
        o.Write($"{Id}: {Type}  name {(Name.Length > 0 ? Name : "<none>")}");
        o.WriteLine(Flags != 0 ? $"  flags 0x{Flags:x}" : "");
        o.WriteLine($"\tkey {BytesKey}B  value {BytesValue}B  max_entries {MaxEntries}");
        if (BtfId != 0) o.WriteLine($"\tbtf_id {BtfId}");
    }
}
