using System.Text.RegularExpressions;
using BpfSharp.Compiler.Diagnostics;
using Xunit;

namespace BpfSharp.Compiler.Tests.DiagnosticChecks;

/// <summary>docs/diagnostics.md and the catalog list the same diagnostics, with the same titles and severities.</summary>
public partial class DiagnosticDocsTests
{
    [GeneratedRegex(@"^## (BPF\d{4}): (.+?)( \(warning\))?$", RegexOptions.Multiline)]
    private static partial Regex Heading();

    static string RepoRoot()
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "BpfSharp.slnx"))) return d.FullName;
        throw new DirectoryNotFoundException($"No BpfSharp.slnx above {AppContext.BaseDirectory}.");
    }

    static List<Match> Headings() =>
        [.. Heading().Matches(File.ReadAllText(Path.Combine(RepoRoot(), "docs", "diagnostics.md"))).Cast<Match>()];

    [Fact]
    public void Docs_list_exactly_the_catalog_ids_in_order()
    {
        Assert.Equal(DiagnosticCatalog.All.Select(d => d.Id), Headings().Select(m => m.Groups[1].Value));
    }

    [Fact]
    public void Docs_give_each_diagnostic_its_catalog_title_and_severity()
    {
        Dictionary<string, DiagnosticDescriptor> byId = DiagnosticCatalog.All.ToDictionary(d => d.Id);
        foreach (Match m in Headings())
        {
            DiagnosticDescriptor d = byId[m.Groups[1].Value];
            Assert.Equal(d.Title, m.Groups[2].Value);
            Assert.Equal(d.Severity == DiagnosticSeverity.Warning, m.Groups[3].Success);
        }
    }

    [Fact]
    public void Catalog_ids_are_unique_and_well_formed_and_every_entry_says_how_to_fix_it()
    {
        Assert.Equal(DiagnosticCatalog.All.Count, DiagnosticCatalog.All.Select(d => d.Id).Distinct().Count());
        foreach (DiagnosticDescriptor d in DiagnosticCatalog.All)
        {
            Assert.Matches(@"^BPF0[0-4]\d\d$", d.Id);
            Assert.False(string.IsNullOrWhiteSpace(d.Title), d.Id);
            // BPF0201's message is the whole rule text including the fix.
            if (d.Id != "BPF0201") Assert.False(string.IsNullOrWhiteSpace(d.Fix), d.Id + " has no fix");
        }
    }
}
