using BpfSharp.Btf;
using Xunit;

namespace BpfSharp.Object.Tests.Btf;

/// <summary>Each of libbpf's replacements, one missing feature at a time, on a small spec that has every kind.</summary>
public class BtfSanitizerTests
{
    /// <summary>Ids of the interesting types in <see cref="Sample"/>.</summary>
    sealed record Ids(uint Int, uint Var, uint Data, uint QData, uint Proto, uint StaticFunc, uint GlobalFunc, uint Float,
        uint DeclTag, uint TypeTag, uint SignedEnum, uint UnsignedEnum, uint Enum64, uint Enum64b);

    static (BtfSpec Spec, Ids Ids) Sample()
    {
        var b = new BtfBuilder();
        uint i = b.AddInt("int", 4, signed: true);
        uint v = b.AddVar("counter", i);
        uint v2 = b.AddVar("limit", i, BtfLinkage.Static);
        uint data = b.AddDataSection(".data", 8, new BtfSectionVariable(v, 0, 4), new BtfSectionVariable(v2, 4, 4));
        uint qdata = b.AddDataSection("?.data.opt", 4, new BtfSectionVariable(v, 0, 4));
        uint proto = b.AddFuncProto(i, [("a", i), ("", i)], variadic: true);
        uint sf = b.AddFunc("helper", proto, BtfLinkage.Static);
        uint gf = b.AddFunc("entry", proto, BtfLinkage.Global);
        uint f = b.AddFloat("double", 8);
        uint dt = b.AddDeclTag("kfunc", gf);
        uint tt = b.AddTypeTag("user", i);
        uint se = b.AddEnum("s", 4, signed: true, ("NEG", -1));
        uint ue = b.AddEnum("u", 4, signed: false, ("POS", 1));
        uint e64 = b.AddEnum64("wide", 8, signed: false, ("A", 1), ("B", long.MinValue));
        uint e64b = b.AddEnum64("wide2", 8, signed: true, ("C", -5));
        return (b.ToSpec(), new Ids(i, v, data, qdata, proto, sf, gf, f, dt, tt, se, ue, e64, e64b));
    }

    static (BtfSpec Before, BtfSpec After, Ids Ids) Without(BtfKernelSupport missing)
    {
        (BtfSpec spec, Ids ids) = Sample();
        BtfSpec after = BtfSanitizer.Sanitize(spec, BtfKernelSupport.All & ~missing);
        return (spec, after, ids);
    }

    /// <summary>Every type but <paramref name="changed"/> is as it was.</summary>
    static void OnlyChanged(BtfSpec before, BtfSpec after, params uint[] changed)
    {
        for (uint id = 0; id < before.TypeCount; id++)
            if (!changed.Contains(id)) Assert.Equal(before[id], after[id]);
        foreach (uint id in changed) Assert.NotEqual(before[id], after[id]);
    }

    [Fact]
    public void WithoutDataSectionsVarsBecomeIntsAndSectionsStructs()
    {
        (BtfSpec before, BtfSpec after, Ids ids) = Without(BtfKernelSupport.DataSection);
        BtfType v = after[ids.Var];
        Assert.Equal((BtfKind.Int, "counter", 1u, 8, 0), (v.Kind, v.Name, v.Size, (int)v.IntBits, (int)v.IntEncoding));
        BtfType data = after[ids.Data];
        Assert.Equal((BtfKind.Struct, "_data", 8u, false), (data.Kind, data.Name, data.Size, data.KindFlag));
        Assert.Equal([new BtfMember("counter", ids.Var, 0, 0), new BtfMember("limit", ids.Var + 1, 32, 0)], data.Members);
        Assert.Equal("__data_opt", after[ids.QData].Name); // '?' and '.' both become '_'
        OnlyChanged(before, after, ids.Var, ids.Var + 1, ids.Data, ids.QData);
    }

    [Fact]
    public void WithoutQuestionMarkSectionsOnlyTheQuestionMarkGoes()
    {
        (BtfSpec before, BtfSpec after, Ids ids) = Without(BtfKernelSupport.QuestionMarkDataSection);
        Assert.Equal("_.data.opt", after[ids.QData].Name);
        Assert.Equal(BtfKind.DataSection, after[ids.QData].Kind);
        OnlyChanged(before, after, ids.QData);
    }

    [Fact]
    public void WithoutFuncsProtosBecomeEnumsAndFuncsTypedefs()
    {
        (BtfSpec before, BtfSpec after, Ids ids) = Without(BtfKernelSupport.Func);
        BtfType proto = after[ids.Proto];
        Assert.Equal((BtfKind.Enum, "", 4u, false), (proto.Kind, proto.Name, proto.Size, proto.KindFlag));
        // One enumerator per parameter, valued with the parameter's type id; nameless ones get argN.
        Assert.Equal([new BtfEnumValue("a", ids.Int), new BtfEnumValue("arg1", ids.Int), new BtfEnumValue("arg2", 0)], proto.EnumValues);
        foreach (uint f in new[] { ids.StaticFunc, ids.GlobalFunc })
        {
            Assert.Equal(BtfKind.Typedef, after[f].Kind);
            Assert.Equal(before[f].Name, after[f].Name);
            Assert.Equal(ids.Proto, after[f].TypeId);
            Assert.Equal(0, after[f].Linkage);
        }
        OnlyChanged(before, after, ids.Proto, ids.StaticFunc, ids.GlobalFunc);
    }

    [Fact]
    public void WithoutGlobalFuncsLinkageBecomesStatic()
    {
        (BtfSpec before, BtfSpec after, Ids ids) = Without(BtfKernelSupport.GlobalFunc);
        Assert.Equal(BtfLinkage.Static, after[ids.GlobalFunc].LinkageKind);
        Assert.Equal(BtfKind.Func, after[ids.GlobalFunc].Kind);
        OnlyChanged(before, after, ids.GlobalFunc);
    }

    [Fact]
    public void WithoutFloatsFloatsBecomeAnonymousStructsOfTheSameSize()
    {
        (BtfSpec before, BtfSpec after, Ids ids) = Without(BtfKernelSupport.Float);
        Assert.Equal((BtfKind.Struct, "", 8u, 0), (after[ids.Float].Kind, after[ids.Float].Name, after[ids.Float].Size, after[ids.Float].Members.Count));
        OnlyChanged(before, after, ids.Float);
    }

    [Fact]
    public void WithoutDeclTagsTagsBecomeInts()
    {
        (BtfSpec before, BtfSpec after, Ids ids) = Without(BtfKernelSupport.DeclTag);
        Assert.Equal((BtfKind.Int, "kfunc", 1u, 8), (after[ids.DeclTag].Kind, after[ids.DeclTag].Name, after[ids.DeclTag].Size, (int)after[ids.DeclTag].IntBits));
        OnlyChanged(before, after, ids.DeclTag);
    }

    [Fact]
    public void WithoutTypeTagsTagsBecomeAnonymousConsts()
    {
        (BtfSpec before, BtfSpec after, Ids ids) = Without(BtfKernelSupport.TypeTag);
        Assert.Equal((BtfKind.Const, "", ids.Int), (after[ids.TypeTag].Kind, after[ids.TypeTag].Name, after[ids.TypeTag].TypeId));
        OnlyChanged(before, after, ids.TypeTag);
    }

    [Fact]
    public void WithoutEnum64SignedEnumsLoseTheFlagAndEnum64sBecomeUnions()
    {
        (BtfSpec before, BtfSpec after, Ids ids) = Without(BtfKernelSupport.Enum64);
        Assert.False(after[ids.SignedEnum].KindFlag);
        uint placeholder = (uint)before.TypeCount; // added once, at the end
        Assert.Equal(before.TypeCount + 1, after.TypeCount);
        Assert.Equal((BtfKind.Int, "enum64_placeholder", 1u, 8, 0), (after[placeholder].Kind, after[placeholder].Name, after[placeholder].Size, (int)after[placeholder].IntBits, (int)after[placeholder].IntEncoding));
        BtfType wide = after[ids.Enum64];
        Assert.Equal((BtfKind.Union, "wide", 8u), (wide.Kind, wide.Name, wide.Size));
        Assert.Equal([new BtfMember("A", placeholder, 0, 0), new BtfMember("B", placeholder, 0, 0)], wide.Members);
        Assert.Equal([new BtfMember("C", placeholder, 0, 0)], after[ids.Enum64b].Members);
        OnlyChanged(before, after, ids.SignedEnum, ids.Enum64, ids.Enum64b);
    }

    [Fact]
    public void WithEverythingSupportedTheSpecIsReturnedAsItIs()
    {
        (BtfSpec spec, _) = Sample();
        Assert.False(BtfSanitizer.NeedsSanitizing(spec, BtfKernelSupport.All));
        Assert.Same(spec, BtfSanitizer.Sanitize(spec, BtfKernelSupport.All));
        // And the builder path, which always copies, copies faithfully.
        Assert.Equal(spec.Types, BtfSanitizer.SanitizeToBuilder(spec, BtfKernelSupport.All).ToSpec().Types);
    }

    [Fact]
    public void ClangBtfWithNothingSupportedKeepsOnlyOldKinds()
    {
        BtfSpec spec = BtfSpec.Parse(BtfTools.CompileBtf("every_kind.bpf.c"));
        Assert.True(BtfSanitizer.NeedsSanitizing(spec, BtfKernelSupport.Btf));
        BtfSpec old = BtfSanitizer.Sanitize(spec, BtfKernelSupport.Btf);
        BtfKind[] newer = [BtfKind.Func, BtfKind.FuncProto, BtfKind.Var, BtfKind.DataSection, BtfKind.Float, BtfKind.DeclTag, BtfKind.TypeTag, BtfKind.Enum64];
        Assert.DoesNotContain(old.Types, t => newer.Contains(t.Kind));
        Assert.DoesNotContain(old.Types, t => t.Kind == BtfKind.Enum && t.KindFlag);
        Assert.Equal(spec.TypeCount + 1, old.TypeCount);
        // Sizes that matter are kept: the struct that holds floats, enums and enum64 has the same layout.
        uint node = spec.Find("node", BtfKind.Struct)!.Id;
        Assert.Equal(spec.SizeOf(node), old.SizeOf(node));
        Assert.Equal(spec[node].Members.Select(m => m.BitOffset), old[node].Members.Select(m => m.BitOffset));
        Assert.Equal(spec[node].Members.Select(m => spec.SizeOf(m.TypeId)), spec[node].Members.Select(m => old.SizeOf(m.TypeId)));
        // bpftool reads the result.
        Assert.Contains("enum64_placeholder", BtfTools.BpftoolRawDump(BtfBuilder.From(old).Build()));
    }
}
