using BpfSharp.Programs;

namespace BpfSharp.Cli.Commands;

/// <summary>One line of <c>prog list</c>: what <c>bpftool prog list</c> shows, from the program's info.</summary>
sealed record ProgramListing(uint Id, string Type, string Name, string Tag, bool GplCompatible, long LoadedAt, uint Uid,
    uint BytesXlated, uint BytesJited, IReadOnlyList<uint> MapIds, uint BtfId, uint VerifiedInstructions)
{
    /// <summary>The load time as bpftool prints it.</summary>
    string LoadedAtText { get; init; } = "";

    public static ProgramListing From(ProgramInfo info) =>
        new(info.Id, info.Type.ToString(), info.Name, info.Tag, info.GplCompatible, BootClock.ToUnixSeconds(info.LoadTimeNs),
            info.CreatedByUid, info.XlatedLength, info.JitedLength, info.MapIds, info.BtfId, info.VerifiedInstructions)
        {
            LoadedAtText = BootClock.Format(info.LoadTimeNs),
        };

    public void WriteText(TextWriter o)
    {
        o.WriteLine($"{Id}: {Type}  name {(Name.Length > 0 ? Name : "<none>")}  tag {Tag}{(GplCompatible ? "  gpl" : "")}");
        o.WriteLine($"\tloaded_at {LoadedAtText}  uid {Uid}");
        o.Write($"\txlated {BytesXlated}B  ");
        o.Write(BytesJited > 0 ? $"jited {BytesJited}B" : "not jited");
        if (MapIds.Count > 0) o.Write($"  map_ids {string.Join(',', MapIds)}");
        o.WriteLine();
        if (BtfId != 0) o.WriteLine($"\tbtf_id {BtfId}");
    }
}
