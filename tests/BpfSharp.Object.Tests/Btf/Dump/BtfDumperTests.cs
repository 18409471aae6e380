using BpfSharp.Btf;
using BpfSharp.Btf.Dump;
using Xunit;

namespace BpfSharp.Object.Tests.Btf.Dump;

public class BtfDumperTests
{
    [Fact]
    public void WithoutTypesEachFormatIsTheWholeDump()
    {
        BuiltFixture built = BuiltFixtures.Get(CFixtures.Layout.Name);

        Assert.Equal(Toolchain.BpftoolDump(built.ObjectPath, "raw"), Dump(built.Spec, BtfDumpFormat.Raw));
        Assert.Equal(Toolchain.BpftoolDump(built.ObjectPath, "c"), Dump(built.Spec, BtfDumpFormat.C));
    }

    [Fact]
    public void WithTypesRawIsTheirClosureAndCIsWhatTheyNeed()
    {
        BuiltFixture built = BuiltFixtures.Get(CFixtures.Layout.Name);
        uint[] nested = BtfTypeSelection.Find(built.Spec, "struct nested");

        string raw = Dump(built.Spec, BtfDumpFormat.Raw, nested);
        string c = Dump(built.Spec, BtfDumpFormat.C, nested);

        int rawTypes = raw.Split('\n').Count(l => l.StartsWith('['));
        Assert.Equal(BtfTypeSelection.WithDependencies(built.Spec, nested).Length, rawTypes);
        Assert.Contains("STRUCT 'bits'", raw);
        Assert.DoesNotContain("STRUCT 'holes'", raw);
        Assert.Contains("\nstruct bits {", c);       // embedded in nested, so defined first
        Assert.Contains("\nstruct nested {", c);
        Assert.DoesNotContain("struct holes", c);
        Assert.Empty(Dump(built.Spec, BtfDumpFormat.Raw, []));
    }

    [Fact]
    public void AnIdOutsideTheBtfIsTheCallersMistake()
    {
        BuiltFixture built = BuiltFixtures.Get(CFixtures.Layout.Name);
        uint beyond = (uint)built.Spec.Types.Count;

        Assert.Throws<ArgumentOutOfRangeException>(() => Dump(built.Spec, BtfDumpFormat.Raw, [beyond]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Dump(built.Spec, BtfDumpFormat.C, [beyond]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Dump(built.Spec, (BtfDumpFormat)7));
    }

    static string Dump(BtfSpec spec, BtfDumpFormat format, IReadOnlyCollection<uint>? types = null)
    {
        var text = new StringWriter();
        BtfDumper.Write(spec, text, format, types);
        return text.ToString();
    }
}
