using Xunit;

namespace BpfSharp.Layout.Tests;

/// <summary>One row per kind of type: the verdict of Validate, every violation Check reports, and the padding holes.</summary>
public sealed class MapTypeRulesTableTests
{
    sealed record Expected(LayoutSeverity Severity, string Rule, string Path, int Offset);

    sealed record Case(Type Type, Action Validate, Expected[] Violations, PaddingHole[] Holes)
    {
        public static Case Of<T>(Expected[] violations, params PaddingHole[] holes) where T : unmanaged =>
            new(typeof(T), () => MapTypeRules.Validate<T>(MapTypeRole.Value), violations, holes);
    }

    static Expected Error(string rule, string path, int offset) => new(LayoutSeverity.Error, rule, path, offset);
    static Expected Warning(string rule, string path, int offset) => new(LayoutSeverity.Warning, rule, path, offset);

    static readonly Dictionary<string, Case> Cases = new()
    {
        ["uint then ulong: implicit padding"] = Case.Of<UIntThenULong>([], new PaddingHole(4, 4)),
        ["nested fixed buffer and [InlineArray]s"] = Case.Of<NestedBuffers>([],
            new PaddingHole(1, 7), new PaddingHole(44, 4), new PaddingHole(83, 1), new PaddingHole(87, 1), new PaddingHole(91, 5)),
        ["enums over byte, int and long"] = Case.Of<EnumFields>([], new PaddingHole(1, 3)),
        ["Int128 field"] = Case.Of<HoldsInt128>([Error(LayoutRule.AlignmentAtMost8, "Value", 16)], new PaddingHole(4, 12)),
        ["UInt128 two levels deep"] = Case.Of<OuterUInt128>([Error(LayoutRule.AlignmentAtMost8, "Middle.Deep.Value", 48)],
            new PaddingHole(4, 12), new PaddingHole(18, 14), new PaddingHole(33, 15)),
        ["Int128 in a record struct"] = Case.Of<StampedRecord>([Error(LayoutRule.AlignmentAtMost8, "Stamp", 16)], new PaddingHole(4, 12)),
        ["Vector128<int> field"] = Case.Of<HoldsVector>([Error(LayoutRule.AlignmentAtMost8, "Lanes", 16)], new PaddingHole(4, 12)),
        ["Pack = 1 with a misaligned ulong"] = Case.Of<PackedOne>([Warning(LayoutRule.MisalignedField, "Value", 1)]),
        ["generic Pair<uint, ulong>"] = Case.Of<Pair<uint, ulong>>([], new PaddingHole(4, 4)),
        ["bool and char fields"] = Case.Of<BoolAndChar>([], new PaddingHole(1, 1)),
        ["LayoutKind.Auto struct"] = Case.Of<AutoLayout>([Error(LayoutRule.SequentialOrExplicit, "", -1)]),
        ["LayoutKind.Auto nested"] = Case.Of<HoldsAutoLayout>([Error(LayoutRule.SequentialOrExplicit, "Inner", 8)], new PaddingHole(4, 4)),
        ["DateTime field (Auto in the BCL)"] = Case.Of<HoldsDateTime>([Error(LayoutRule.SequentialOrExplicit, "When", 8)], new PaddingHole(4, 4)),
        ["decimal field (8-byte aligned)"] = Case.Of<HoldsDecimal>([], new PaddingHole(4, 4)),
        ["int* field"] = Case.Of<HoldsPointer>([Error(LayoutRule.NoPointers, "Items", 8)], new PaddingHole(4, 4)),
        ["nint field"] = Case.Of<HoldsNint>([Error(LayoutRule.NoPointers, "Handle", 8)], new PaddingHole(4, 4)),
        ["function pointer field"] = Case.Of<HoldsFunctionPointer>([Error(LayoutRule.NoPointers, "Callback", 8)]),
        ["nint inside an [InlineArray] element"] = Case.Of<HoldsHandles>([Error(LayoutRule.NoPointers, "Handles[0].Handle", 16)],
            new PaddingHole(12, 4), new PaddingHole(28, 4)),
        ["Pack = 1 with a misaligned nested struct"] = Case.Of<PackedNested>([Warning(LayoutRule.MisalignedField, "Inner", 1)],
            new PaddingHole(5, 4)),
        ["Vector256 and Vector512 fields"] = Case.Of<HoldsWideVectors>([
            Error(LayoutRule.AlignmentAtMost8, "Wide", 0), Error(LayoutRule.AlignmentAtMost8, "Wider", 64)], new PaddingHole(32, 32)),
        ["explicit layout, overlapping fields"] = Case.Of<Overlapping>([]),
        ["empty struct"] = Case.Of<Empty>([Error(LayoutRule.MustHaveData, "", -1)]),
    };

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Check_reports_exactly_the_expected_violations(string name)
    {
        Case c = Cases[name];

        var actual = MapTypeRules.Check(c.Type).Select(v => new Expected(v.Severity, v.Rule, v.FieldPath, v.Offset));

        Assert.Equal(c.Violations, actual);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Validate_throws_for_the_first_error_and_names_path_offset_and_rule(string name)
    {
        Case c = Cases[name];
        Expected? error = c.Violations.FirstOrDefault(v => v.Severity == LayoutSeverity.Error);

        var thrown = Record.Exception(c.Validate);

        if (error is null)
        {
            Assert.Null(thrown);
            return;
        }
        var layout = Assert.IsType<BpfLayoutException>(thrown);
        Assert.Equal(c.Type, layout.Type);
        Assert.Equal(error.Path, layout.FieldPath);
        Assert.Equal(error.Offset, layout.Offset);
        Assert.Equal(error.Rule, layout.Rule);
        Assert.StartsWith($"Map value type '{TypeDisplayName.Of(c.Type)}' is not allowed: ", layout.Message);
        Assert.Contains(error.Path.Length == 0 ? "the type itself " : $"field '{error.Path}' (", layout.Message);
        if (error.Offset >= 0)
            Assert.Contains($") at offset {error.Offset} ", layout.Message);
        Assert.Contains($"(rule: {error.Rule}). Fix: {layout.Fix}", layout.Message);
        Assert.EndsWith(".", layout.Fix);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Validate_gives_the_same_verdict_on_every_call(string name)
    {
        Case c = Cases[name];

        var first = Record.Exception(c.Validate);
        var second = Record.Exception(c.Validate);

        Assert.Equal(first?.GetType(), second?.GetType());
        Assert.Equal(first?.Message, second?.Message);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Analyze_lists_the_padding_holes(string name)
    {
        Case c = Cases[name];

        Assert.Equal(c.Holes, MapTypeRules.Analyze(c.Type).Holes);
    }
}
