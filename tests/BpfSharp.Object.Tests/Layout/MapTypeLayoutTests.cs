using Xunit;

namespace BpfSharp.Layout.Tests;

public sealed class MapTypeLayoutTests
{
    [Fact]
    public void Analyze_reports_size_alignment_and_padding_bytes()
    {
        MapTypeLayout layout = MapTypeRules.Analyze(typeof(UIntThenULong));

        Assert.Equal(16, layout.Size);
        Assert.Equal(8, layout.Alignment);
        Assert.Equal(4, layout.PaddingBytes);
        Assert.True(layout.IsAllowed);
    }

    [Fact]
    public void A_warning_alone_leaves_the_type_allowed()
    {
        MapTypeLayout layout = MapTypeRules.Analyze(typeof(PackedOne));

        Assert.True(layout.IsAllowed);
        var warning = Assert.Single(layout.Violations);
        Assert.Equal(LayoutSeverity.Warning, warning.Severity);
        Assert.Contains("remove Pack (or set it to at least 8)", warning.Fix);
        MapTypeRules.Validate<PackedOne>(MapTypeRole.Value);
    }

    [Fact]
    public void Reference_types_are_not_map_types()
    {
        var violation = Assert.Single(MapTypeRules.Check(typeof(string)));

        Assert.Equal(LayoutRule.Unmanaged, violation.Rule);
    }

    [Fact]
    public void Open_generic_types_cannot_be_checked() =>
        Assert.Throws<ArgumentException>(() => MapTypeRules.Check(typeof(Pair<,>)));
}
