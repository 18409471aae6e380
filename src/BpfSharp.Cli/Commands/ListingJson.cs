using System.Text.Json.Serialization;
using BpfSharp.Links;

namespace BpfSharp.Cli.Commands;

/// <summary>JSON for the system-wide listings: snake_case names (bpftool's where they mean the same), enums by name, absent parts left out.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(List<ProgramListing>))]
[JsonSerializable(typeof(List<MapListing>))]
[JsonSerializable(typeof(List<LinkInfo>))]
sealed partial class ListingJson : JsonSerializerContext;
