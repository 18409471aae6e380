using BpfSharp.Btf;
using BpfSharp.Btf.Dump;
using Xunit;

namespace BpfSharp.Object.Tests.Btf.Dump;

public class BtfTypeSelectionTests
{
    static BtfSpec Sample(out uint i32, out uint fwd, out uint node, out uint typedefNode, out uint unionNode)
    {
        var blob = new BtfBlob();
        i32 = blob.Int("int", 4);
        fwd = blob.Add(BtfKind.Forward, "node", 0);
        uint ptr = blob.Add(BtfKind.Pointer, "", fwd);
        node = blob.Struct("node", 16, ("next", ptr, 0), ("value", i32, 64));
        typedefNode = blob.Add(BtfKind.Typedef, "node", node);
        unionNode = blob.Add(BtfKind.Union, "node", 4, 1, data: [0, i32, 0]);
        return blob.Parse();
    }

    [Fact]
    public void ANumberIsATypeId()
    {
        BtfSpec spec = Sample(out uint i32, out _, out _, out _, out _);

        Assert.Equal([i32], BtfTypeSelection.Find(spec, i32.ToString()));
        Assert.Empty(BtfTypeSelection.Find(spec, "0"));
        Assert.Empty(BtfTypeSelection.Find(spec, "9999"));
    }

    [Fact]
    public void ANameMeansEveryDefinitionSoNamedButNotItsForwardDeclaration()
    {
        BtfSpec spec = Sample(out _, out uint fwd, out uint node, out uint typedefNode, out uint unionNode);

        Assert.Equal([node, typedefNode, unionNode], BtfTypeSelection.Find(spec, "node"));
        Assert.Equal([node], BtfTypeSelection.Find(spec, "struct node"));
        Assert.Equal([unionNode], BtfTypeSelection.Find(spec, "union node"));
        Assert.Equal([typedefNode], BtfTypeSelection.Find(spec, " typedef  node "));
        Assert.Empty(BtfTypeSelection.Find(spec, "enum node"));
        Assert.Empty(BtfTypeSelection.Find(spec, "class node"));
        Assert.Empty(BtfTypeSelection.Find(spec, "missing"));
        Assert.DoesNotContain(fwd, BtfTypeSelection.Find(spec, "node"));
    }

    [Fact]
    public void AForwardDeclarationIsFoundWhenItIsAllThereIs()
    {
        BuiltFixture built = BuiltFixtures.Get(CFixtures.TagsAndCycles.Name);

        uint[] found = BtfTypeSelection.Find(built.Spec, "struct task");

        Assert.Equal(BtfKind.Forward, Assert.Single(found.Select(id => built.Spec[id])).Kind);
    }

    [Fact]
    public void DependenciesAreEverythingReachableAndNothingElse()
    {
        BuiltFixture built = BuiltFixtures.Get(CFixtures.Declarators.Name);
        BtfSpec spec = built.Spec;
        uint list = spec.Find("list", BtfKind.Struct)!.Id;

        uint[] closure = BtfTypeSelection.WithDependencies(spec, [list]);

        Assert.Equal(closure.Order(), closure);
        Assert.Contains(list, closure);
        Assert.Contains(spec.Find("node", BtfKind.Forward)!.Id, closure); // through pointers; clang wrote only a FWD
        Assert.Equal(4, closure.Length); // list, node *, node ** and the FWD
        AssertClosed(spec, closure);

        uint[] ops = BtfTypeSelection.WithDependencies(spec, [spec.Find("ops", BtfKind.Struct)!.Id]);

        Assert.Contains(spec.Find("binop_t", BtfKind.Typedef)!.Id, ops);
        Assert.Contains(spec.Find("opaque", BtfKind.Forward)!.Id, ops);
        Assert.Contains(spec.Find("int", BtfKind.Int)!.Id, ops);
        Assert.DoesNotContain(list, ops);
        Assert.DoesNotContain(spec.FindByName("prog").Single().Id, ops);
        AssertClosed(spec, ops);
    }

    /// <summary>Whatever a type of the set refers to is in the set.</summary>
    static void AssertClosed(BtfSpec spec, uint[] closure)
    {
        var set = closure.ToHashSet();
        foreach (uint id in closure)
            foreach (uint target in References(spec[id]))
                Assert.True(target == 0 || set.Contains(target), $"{spec[id]} refers to {target}, which is missing");
    }

    [Fact]
    public void TheRawDumpOfASelectionIsTheFullDumpsLinesForThoseTypes()
    {
        BuiltFixture built = BuiltFixtures.Get(CFixtures.Declarators.Name);
        uint[] closure = BtfTypeSelection.WithDependencies(built.Spec, BtfTypeSelection.Find(built.Spec, "struct ops"));
        string full = Toolchain.BpftoolDump(built.ObjectPath, "raw");
        HashSet<string> fullLines = [.. full.Split('\n').Where(l => l.StartsWith('['))];

        var text = new StringWriter();
        BtfRawDumper.Write(built.Spec, text, closure);
        string[] headers = [.. text.ToString().Split('\n').Where(l => l.StartsWith('['))];

        Assert.Equal(closure.Length, headers.Length);
        Assert.All(headers, h => Assert.Contains(h, fullLines));
    }

    static IEnumerable<uint> References(BtfType t) => t.Kind switch
    {
        BtfKind.Array => [t.ElementTypeId, t.IndexTypeId],
        BtfKind.Struct or BtfKind.Union => t.Members.Select(m => m.TypeId),
        BtfKind.FuncProto => [t.TypeId, .. t.Parameters.Select(p => p.TypeId)],
        BtfKind.DataSection => t.Variables.Select(v => v.TypeId),
        BtfKind.Pointer or BtfKind.Typedef or BtfKind.Const or BtfKind.Volatile or BtfKind.Restrict or BtfKind.TypeTag
            or BtfKind.Func or BtfKind.Var or BtfKind.DeclTag => [t.TypeId],
        _ => [],
    };
}
