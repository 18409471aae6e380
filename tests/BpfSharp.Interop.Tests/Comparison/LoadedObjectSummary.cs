using System.Text;
using BpfSharp.Abi;
using BpfSharp.Maps;
using BpfSharp.Programs;

namespace BpfSharp.Interop.Tests.Comparison;

/// <summary>
/// What one loader made of one object file: the outcome and, when it loaded, every map and program as the kernel reports
/// them. Both sides of a comparison produce this record — libbpf through <see cref="Reference.LibbpfReference"/>, BpfSharp
/// from the maps and programs <c>BpfObject.Load</c> returns (<see cref="FromKernelObjects"/>) — and
/// <see cref="Compare"/> lists every difference in words. Records holding lists compare by reference with <c>==</c>:
/// use <see cref="Compare"/>.
/// </summary>
/// <param name="Loader">Who loaded it, for messages (e.g. "libbpf 1.1", "BpfSharp").</param>
/// <param name="Errno">The errno of a refusal, when there was one (a loader refusal may carry the errno the loader returned).</param>
/// <param name="Message">The loader's error text (libbpf's log, our exception message); never compared.</param>
/// <param name="Maps">Sorted by name.</param>
/// <param name="Programs">Sorted by name. Programs whose autoload is off are not loaded and not listed.</param>
public sealed record LoadedObjectSummary(
    string Loader,
    LoadOutcome Outcome,
    Errno? Errno,
    string? Message,
    IReadOnlyList<MapSummary> Maps,
    IReadOnlyList<ProgramSummary> Programs)
{
    /// <summary>A successful load.</summary>
    public static LoadedObjectSummary Loaded(string loader, IEnumerable<MapSummary> maps, IEnumerable<ProgramSummary> programs) =>
        new(loader, LoadOutcome.Loaded, null, null,
            maps.OrderBy(m => m.Name, StringComparer.Ordinal).ThenBy(m => m.Type).ToArray(),
            programs.OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Type).ToArray());

    /// <summary>A refused load (no maps or programs survive it).</summary>
    public static LoadedObjectSummary Refused(string loader, LoadOutcome outcome, Errno? errno, string message)
    {
        if (outcome == LoadOutcome.Loaded) throw new ArgumentException("a refusal needs a refusing outcome", nameof(outcome));
        return new(loader, outcome, errno, message, [], []);
    }

    /// <summary>
    /// Summarises a loaded object from its kernel objects. <paramref name="submittedInstructions"/> and
    /// <paramref name="expectedAttachTypes"/> (by program name as loaded, ≤ 15 characters) add what only the loader knows.
    /// </summary>
    public static LoadedObjectSummary FromKernelObjects(string loader, IEnumerable<BpfMap> maps, IEnumerable<BpfProgram> programs,
        IReadOnlyDictionary<string, int>? submittedInstructions = null, IReadOnlyDictionary<string, BpfAttachType>? expectedAttachTypes = null) =>
        Loaded(loader, maps.Select(MapSummary.Read), programs.Select(p =>
        {
            ProgramSummary s = ProgramSummary.Read(p);
            return s with
            {
                SubmittedInstructions = submittedInstructions?.TryGetValue(s.Name, out int n) == true ? n : null,
                ExpectedAttachType = expectedAttachTypes?.TryGetValue(s.Name, out BpfAttachType a) == true ? a : null,
            };
        }));

    /// <summary>
    /// Every difference between this summary (the expectation, e.g. libbpf's) and <paramref name="actual"/>, one readable line
    /// each, naming the map or program and both values. Empty when they agree on <paramref name="fields"/>.
    /// </summary>
    public IReadOnlyList<string> Compare(LoadedObjectSummary actual, SummaryFields fields = SummaryFields.All)
    {
        var diff = new Differences(Loader, actual.Loader);
        if (fields.HasFlag(SummaryFields.Outcome))
        {
            diff.Check("load outcome", Outcome, actual.Outcome);
            // A loader's own refusal carries whatever errno that loader picked; only the kernel's errno must agree.
            if (Outcome == LoadOutcome.KernelRefused && actual.Outcome == LoadOutcome.KernelRefused)
                diff.Check("errno", Errno, actual.Errno);
        }
        if ((fields & SummaryFields.AllMaps) != 0)
            CompareByName(diff, "map", Maps, actual.Maps, m => m.Name, (name, e, a) => CompareMap(diff, name, e, a, fields));
        if ((fields & SummaryFields.AllPrograms) != 0)
            CompareByName(diff, "program", Programs, actual.Programs, p => p.Name, (name, e, a) => CompareProgram(diff, name, e, a, fields));
        return diff.Lines;
    }

    static void CompareMap(Differences diff, string name, MapSummary e, MapSummary a, SummaryFields fields)
    {
        string at = $"map '{name}'";
        if (fields.HasFlag(SummaryFields.MapType)) diff.Check($"{at} type", e.Type, a.Type);
        if (fields.HasFlag(SummaryFields.MapSizes))
        {
            diff.Check($"{at} key size", e.KeySize, a.KeySize);
            diff.Check($"{at} value size", e.ValueSize, a.ValueSize);
            diff.Check($"{at} max entries", e.MaxEntries, a.MaxEntries);
        }
        if (fields.HasFlag(SummaryFields.MapFlags)) diff.Check($"{at} flags", e.Flags, a.Flags);
        if (fields.HasFlag(SummaryFields.MapExtra)) diff.Check($"{at} map_extra", e.MapExtra, a.MapExtra);
        if (fields.HasFlag(SummaryFields.MapBtf))
        {
            diff.Check($"{at} has BTF key", e.HasBtfKey, a.HasBtfKey);
            diff.Check($"{at} has BTF value", e.HasBtfValue, a.HasBtfValue);
            diff.Check($"{at} vmlinux value type id", e.BtfVmlinuxValueTypeId, a.BtfVmlinuxValueTypeId);
        }
        if (fields.HasFlag(SummaryFields.MapContents)) diff.Check($"{at} initial value", e.InitialValue, a.InitialValue);
    }

    static void CompareProgram(Differences diff, string name, ProgramSummary e, ProgramSummary a, SummaryFields fields)
    {
        string at = $"program '{name}'";
        if (fields.HasFlag(SummaryFields.ProgramType)) diff.Check($"{at} type", e.Type, a.Type);
        if (fields.HasFlag(SummaryFields.ExpectedAttachType) && e.ExpectedAttachType is not null && a.ExpectedAttachType is not null)
            diff.Check($"{at} expected attach type", e.ExpectedAttachType, a.ExpectedAttachType);
        if (fields.HasFlag(SummaryFields.SubmittedInstructions) && e.SubmittedInstructions is not null && a.SubmittedInstructions is not null)
            diff.Check($"{at} submitted instructions", e.SubmittedInstructions, a.SubmittedInstructions);
        if (fields.HasFlag(SummaryFields.XlatedInstructions)) diff.Check($"{at} xlated instructions", e.XlatedInstructions, a.XlatedInstructions);
        if (fields.HasFlag(SummaryFields.Tag)) diff.Check($"{at} tag", e.Tag, a.Tag);
        if (fields.HasFlag(SummaryFields.ProgramDetails))
        {
            diff.Check($"{at} GPL compatible", e.GplCompatible, a.GplCompatible);
            diff.Check($"{at} has BTF", e.HasBtf, a.HasBtf);
            diff.Check($"{at} map count", e.MapCount, a.MapCount);
        }
    }

    static void CompareByName<T>(Differences diff, string kind, IReadOnlyList<T> expected, IReadOnlyList<T> actual,
        Func<T, string> name, Action<string, T, T> compare)
    {
        var byName = actual.GroupBy(name).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        foreach (T e in expected)
        {
            if (byName.Remove(name(e), out T? a)) compare(name(e), e, a);
            else diff.Add($"{kind} '{name(e)}': only {diff.ExpectedName} has it ({e})");
        }
        foreach (T a in byName.Values)
            diff.Add($"{kind} '{name(a)}': only {diff.ActualName} has it ({a})");
    }

    /// <summary>A table of the outcome, maps and programs, for failure messages.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append($"{Loader}: {Outcome}");
        if (Errno is { } errno) sb.Append($" ({errno})");
        sb.AppendLine();
        if (Message is { Length: > 0 }) sb.AppendLine("  " + Message.Trim().Replace("\n", "\n  "));
        foreach (MapSummary m in Maps) sb.AppendLine($"  map  {m}");
        foreach (ProgramSummary p in Programs) sb.AppendLine($"  prog {p}");
        return sb.ToString();
    }

    sealed class Differences(string expectedName, string actualName)
    {
        public string ExpectedName { get; } = expectedName == actualName ? "the expected side" : expectedName;
        public string ActualName { get; } = expectedName == actualName ? "the actual side" : actualName;
        public List<string> Lines { get; } = [];

        public void Check<T>(string what, T expected, T actual)
        {
            if (!EqualityComparer<T>.Default.Equals(expected, actual))
                Lines.Add($"{what}: {Show(expected)} ({ExpectedName}) vs {Show(actual)} ({ActualName})");
        }

        public void Add(string line) => Lines.Add(line);

        static string Show<T>(T value) => value switch
        {
            null => "none",
            string s => MapSummary.Shorten(s),
            _ => value.ToString() ?? "none",
        };
    }
}
