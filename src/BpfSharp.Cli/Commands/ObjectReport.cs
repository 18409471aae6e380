using System.Text.Json.Serialization;
using BpfSharp.Btf;
using BpfSharp.Btf.Values;
using BpfSharp.Objects;

namespace BpfSharp.Cli.Commands;

/// <summary>What <c>inspect</c> shows, shaped once for both text and JSON.</summary>
sealed record ObjectReport(
    string Name,
    string License,
    IReadOnlyList<SectionReport> Sections,
    IReadOnlyList<ProgramReport> Programs,
    IReadOnlyList<MapReport> Maps,
    IReadOnlyList<GlobalReport> Globals,
    IReadOnlyList<ExternReport> Externs)
{
    public static ObjectReport From(ObjectSpec spec)
    {
        BtfSpec? btf = spec.Btf;
        return new ObjectReport(
            spec.Name,
            spec.License,
            [.. spec.Sections.Select(s => new SectionReport(s.Index, s.Name, s.Role.ToString(), s.Size))],
            [.. spec.Programs.Select(p => new ProgramReport(p.Name, p.SectionName, p.Type.ToString(), p.ExpectedAttachType?.ToString(),
                p.AttachTarget, p.Autoload, Asm.InstructionList.SlotCount([.. p.Instructions]), p.FuncInfo.Count, p.LineInfo.Count,
                p.CoreRelocations.Count,
                [.. p.Functions.Where(f => f.Value > 0).OrderBy(f => f.Value).Select(f => f.Key)],
                [.. p.Relocations.OrderBy(r => r.Slot).Select(r => new RelocationReport(r.Slot, r.Symbol, r.SymbolSection, r.Target.ToString()))]))],
            [.. spec.Maps.Select(m => new MapReport(m.Name, m.Origin.ToString(), m.Type.ToString(), m.KeySize, m.ValueSize,
                TypeName(btf, m.BtfKeyTypeId), TypeName(btf, m.BtfValueTypeId), m.MaxEntries, m.Flags.ToString(), m.Pinning.ToString(),
                m.InnerMap?.Name))],
            [.. spec.Maps.Where(m => m.Origin == MapOrigin.Data).SelectMany(m => m.Variables.Select(v =>
                new GlobalReport(m.Name, v.Name, v.Offset, v.Size, TypeName(btf, v.BtfTypeId), v.IsGlobal)))],
            [.. spec.Externs.Select(e => new ExternReport(e.Name, e.Kind.ToString(), e.IsWeak))]);
    }

    static string? TypeName(BtfSpec? btf, uint id)
    {
        if (btf is null || id == 0) return null;
        try { return BtfTypeName.Describe(btf, id); }
        catch (BtfFormatException) { return $"<type {id}>"; }
    }

    public void WriteText(TextWriter o)
    {
        o.WriteLine($"object {Name}, license \"{License}\"");
        o.WriteLine();
        o.WriteLine($"sections ({Sections.Count}):");
        foreach (SectionReport s in Sections) o.WriteLine($"  [{s.Index,3}] {s.Name,-32} {s.Role,-14} {s.Size,8} B");
        o.WriteLine();
        o.WriteLine($"programs ({Programs.Count}):");
        foreach (ProgramReport p in Programs)
        {
            string attach = p.AttachType is null ? "" : $" attach {p.AttachType}";
            string target = p.AttachTarget is null ? "" : $" target '{p.AttachTarget}'";
            o.WriteLine($"  {p.Name}: section '{p.Section}', {p.Type}{attach}{target}, {p.Instructions} instructions" +
                $"{(p.Subprograms.Count == 0 ? "" : $" (with subprograms {string.Join(", ", p.Subprograms)})")}" +
                $"{(p.Autoload ? "" : ", autoload off")}, func_info {p.FuncInfo}, line_info {p.LineInfo}, CO-RE relocations {p.CoreRelocations}");
            foreach (RelocationReport r in p.Relocations)
                o.WriteLine($"    insn {r.Slot,5}: {r.Target,-16} {r.Symbol} ({r.Section})");
        }
        o.WriteLine();
        o.WriteLine($"maps ({Maps.Count}):");
        foreach (MapReport m in Maps)
        {
            string key = m.KeyType is null ? $"{m.KeySize} B" : $"{m.KeyType} ({m.KeySize} B)";
            string value = m.ValueType is null ? $"{m.ValueSize} B" : $"{m.ValueType} ({m.ValueSize} B)";
            o.WriteLine($"  {m.Name}: {m.Type}, key {key}, value {value}, max_entries {m.MaxEntries}, flags {m.Flags}" +
                $"{(m.Pinning == "None" ? "" : $", pinned {m.Pinning}")}{(m.InnerMap is null ? "" : $", inner {m.InnerMap}")} [{m.Origin}]");
        }
        if (Globals.Count > 0)
        {
            o.WriteLine();
            o.WriteLine($"globals ({Globals.Count}):");
            foreach (GlobalReport g in Globals)
                o.WriteLine($"  {g.Section}+{g.Offset}: {g.Type ?? "?"} {g.Name} ({g.Size} B{(g.IsGlobal ? "" : ", static")})");
        }
        if (Externs.Count > 0)
        {
            o.WriteLine();
            o.WriteLine($"externs ({Externs.Count}):");
            foreach (ExternReport e in Externs) o.WriteLine($"  {e.Name}: {e.Kind}{(e.Weak ? ", weak" : "")}");
        }
    }
}

sealed record SectionReport(int Index, string Name, string Role, ulong Size);
sealed record ProgramReport(string Name, string Section, string Type, string? AttachType, string? AttachTarget, bool Autoload,
    int Instructions, int FuncInfo, int LineInfo, int CoreRelocations, IReadOnlyList<string> Subprograms, IReadOnlyList<RelocationReport> Relocations);
sealed record RelocationReport(int Slot, string Symbol, string Section, string Target);
sealed record MapReport(string Name, string Origin, string Type, uint KeySize, uint ValueSize, string? KeyType, string? ValueType,
    uint MaxEntries, string Flags, string Pinning, string? InnerMap);
sealed record GlobalReport(string Section, string Name, uint Offset, uint Size, string? Type, bool IsGlobal);
sealed record ExternReport(string Name, string Kind, bool Weak);

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ObjectReport))]
sealed partial class ReportJson : JsonSerializerContext;
