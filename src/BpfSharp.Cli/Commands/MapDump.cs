using System.Text.Json;
using BpfSharp.Maps;

namespace BpfSharp.Cli.Commands;

/// <summary>
/// Every element of a map, as text (<c>key: 1  value: { .hits = 3 }</c>, per-CPU values one line per CPU, then
/// <c>Found N elements</c>) or as JSON (<c>[{"key": …, "value": …}]</c>, per-CPU <c>"values": [{"cpu": 0, "value": …}]</c>).
/// </summary>
static class MapDump
{
    public static void WriteText(TextWriter o, BpfMap map, MapInfo info, KernelBtfById btfs)
    {
        if (MapEntries.WhyNotListable(info.Type) is { } why)
        {
            o.WriteLine($"({why})");
            return;
        }
        var format = new MapValueFormat(info, btfs);
        List<MapEntry> entries = MapEntries.Read(map);
        foreach (MapEntry e in entries)
        {
            o.Write($"key: {format.Key(e.Key)}");
            if (e.Value is null)
            {
                o.WriteLine($"  value: <{e.Error}>");
            }
            else if (format.IsPerCpu)
            {
                o.WriteLine();
                int cpu = 0;
                foreach (ReadOnlyMemory<byte> slot in format.Slots(e.Value))
                    o.WriteLine($"\tcpu {cpu++}: {format.Value(slot.Span, indented: false)}");
            }
            else
            {
                o.WriteLine($"  value: {format.Value(e.Value, indented: format.IsDataSection)}");
            }
        }
        o.WriteLine($"Found {entries.Count} element{(entries.Count == 1 ? "" : "s")}");
    }

    public static void WriteJson(Utf8JsonWriter w, BpfMap map, MapInfo info, KernelBtfById btfs)
    {
        w.WriteStartArray();
        if (MapEntries.WhyNotListable(info.Type) is null)
        {
            var format = new MapValueFormat(info, btfs);
            foreach (MapEntry e in MapEntries.Read(map))
            {
                w.WriteStartObject();
                w.WritePropertyName("key");
                format.WriteKey(w, e.Key);
                if (e.Value is null)
                {
                    w.WriteString("error", e.Error);
                }
                else if (format.IsPerCpu)
                {
                    w.WriteStartArray("values");
                    int cpu = 0;
                    foreach (ReadOnlyMemory<byte> slot in format.Slots(e.Value))
                    {
                        w.WriteStartObject();
                        w.WriteNumber("cpu", cpu++);
                        w.WritePropertyName("value");
                        format.WriteValue(w, slot.Span);
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                }
                else
                {
                    w.WritePropertyName("value");
                    format.WriteValue(w, e.Value);
                }
                w.WriteEndObject();
            }
        }
        w.WriteEndArray();
    }
}
