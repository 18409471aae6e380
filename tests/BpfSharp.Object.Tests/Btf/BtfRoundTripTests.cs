using BpfSharp.Btf;
using Xunit;

namespace BpfSharp.Object.Tests.Btf;

/// <summary>parse → <see cref="BtfBuilder.From"/> → build → parse gives the same types, ids and names.</summary>
public class BtfRoundTripTests
{
    static BtfSpec RoundTrip(BtfSpec spec) => BtfSpec.Parse(BtfBuilder.From(spec).Build());

    [Fact]
    public void VmlinuxSurvivesReencoding()
    {
        BtfSpec original = BtfSpec.Parse(BtfTools.Vmlinux());
        BtfSpec again = RoundTrip(original);
        Assert.Equal(original.TypeCount, again.TypeCount);
        for (uint id = 0; id < original.TypeCount; id++)
            if (!original[id].Equals(again[id])) Assert.Fail($"type {id} differs: {original[id]} vs {again[id]}");
        // A deduplicated table stays deduplicated: no bigger than the kernel's own.
        Assert.True(again.RawData.Length <= original.RawData.Length, $"{again.RawData.Length} > {original.RawData.Length}");
    }

    [Fact]
    public void ClangObjectBtfSurvivesReencodingAsBpftoolSeesIt()
    {
        byte[] blob = BtfTools.CompileBtf("every_kind.bpf.c");
        BtfSpec original = BtfSpec.Parse(blob);
        byte[] rebuilt = BtfBuilder.From(original).Build();
        Assert.Equal(original.Types, BtfSpec.Parse(rebuilt).Types);
        Assert.Equal(BtfTools.BpftoolRawDump(blob), BtfTools.BpftoolRawDump(rebuilt));
    }

    [Fact]
    public void EveryKindCanBeBuiltAndBpftoolReadsIt()
    {
        var b = new BtfBuilder();
        uint i32 = b.AddInt("int", 4, signed: true);
        uint ch = b.AddInt("char", 1, signed: true, isChar: true);
        uint boolean = b.AddInt("_Bool", 1, isBool: true);
        uint ptr = b.AddPointer(ch);
        uint arr = b.AddArray(i32, i32, 4);
        uint s = b.AddComposite(BtfKind.Struct, "s", 8, new BtfMember("a", i32, 0, 3), new BtfMember("b", i32, 3, 29), new BtfMember("c", ch, 32, 0));
        uint u = b.AddUnion("u", 4, ("x", i32, 0u), ("y", boolean, 0u));
        uint e = b.AddEnum("e", 4, signed: true, ("MINUS", -2), ("ONE", 1));
        uint e64 = b.AddEnum64("e64", 8, signed: false, ("BIG", unchecked((long)0xfedcba9876543210UL)));
        uint fwdS = b.AddForward("later_s");
        uint fwdU = b.AddForward("later_u", union: true);
        uint td = b.AddTypedef("int_t", i32);
        uint vol = b.AddVolatile(i32);
        uint cst = b.AddConst(vol);
        uint rst = b.AddRestrict(ptr);
        uint proto = b.AddFuncProto(i32, [("fmt", ptr)], variadic: true);
        uint fn = b.AddFunc("printk_like", proto, BtfLinkage.Global);
        uint v = b.AddVar("counter", i32, BtfLinkage.Global);
        uint sec = b.AddDataSection(".data", 4, new BtfSectionVariable(v, 0, 4));
        uint flt = b.AddFloat("double", 8);
        uint tag = b.AddDeclTag("kfunc", fn);
        uint field = b.AddDeclTag("field", s, 1);
        uint ttag = b.AddTypeTag("user", i32);

        byte[] blob = b.Build();
        BtfSpec spec = BtfSpec.Parse(blob);
        Assert.Equal(b.Types, spec.Types.Skip(1).Select(t => t with { Id = 0 }));
        BpftoolRawFormat.AssertSameAsBpftool(spec, BtfTools.BpftoolRawDump(blob));

        Assert.Equal(BtfIntEncoding.Signed | BtfIntEncoding.Char, spec[ch].IntEncoding);
        Assert.True(spec[boolean].IsBool);
        Assert.Equal(29, spec[s].Members[1].BitfieldSize);
        Assert.True(spec[s].KindFlag);
        Assert.Equal(-2, spec[e].EnumValues[0].Value);
        Assert.Equal(unchecked((long)0xfedcba9876543210UL), spec[e64].EnumValues[0].Value);
        Assert.False(spec[fwdS].IsForwardUnion);
        Assert.True(spec[fwdU].IsForwardUnion);
        Assert.Equal(i32, spec.SkipModifiers(td).Id);
        Assert.Equal(i32, spec.SkipQualifiers(cst).Id);
        Assert.Equal(ptr, spec.SkipQualifiers(rst).Id);
        Assert.True(spec[proto].IsVariadic);
        Assert.Equal(BtfLinkage.Global, spec[fn].LinkageKind);
        Assert.Equal(v, spec[sec].Variables[0].TypeId);
        Assert.Equal(8u, spec[flt].Size);
        Assert.Equal(-1, spec[tag].ComponentIndex);
        Assert.Equal(1, spec[field].ComponentIndex);
        Assert.Equal("user", spec[ttag].Name);
        Assert.Equal(BtfKind.Union, spec[u].Kind);
        Assert.Equal(16, spec.SizeOf(arr));
    }

    [Fact]
    public void RandomTypeGraphsSurviveEncoding()
    {
        var random = new Random(42);
        for (int round = 0; round < 200; round++)
        {
            var builder = new BtfBuilder();
            int count = random.Next(1, 60);
            for (int i = 0; i < count; i++) builder.Add(RandomType(random, (uint)(i + 1)));
            BtfSpec spec = BtfSpec.Parse(builder.Build());
            Assert.Equal(count + 1, spec.TypeCount);
            for (uint id = 1; id <= count; id++) Assert.Equal(builder[id], spec[id]);
            Assert.Equal(spec.Types, RoundTrip(spec).Types);
        }
    }

    /// <summary>Any kind, with fields set the way the wire format can hold them; references point at ids 0..limit.</summary>
    static BtfType RandomType(Random r, uint limit)
    {
        string Name() => r.Next(4) == 0 ? "" : "n" + r.Next(50) + (r.Next(5) == 0 ? "___flavour" : "");
        uint Ref() => (uint)r.Next((int)limit + 1);
        int n = r.Next(0, 5);
        var kind = (BtfKind)r.Next(1, 20);
        bool flag = r.Next(2) == 0;
        return kind switch
        {
            BtfKind.Int => new BtfType { Kind = kind, Name = Name(), Size = (uint)r.Next(1, 17), IntEncoding = (byte)r.Next(8), IntOffset = (byte)r.Next(256), IntBits = (byte)r.Next(256) },
            BtfKind.Array => new BtfType { Kind = kind, ElementTypeId = Ref(), IndexTypeId = Ref(), ElementCount = (uint)r.Next() },
            BtfKind.Struct or BtfKind.Union => new BtfType
            {
                Kind = kind, Name = Name(), Size = (uint)r.Next(), KindFlag = flag,
                Members = [.. Enumerable.Range(0, n).Select(_ => new BtfMember(Name(), Ref(), (uint)r.Next(flag ? 0xffffff : int.MaxValue), flag ? (byte)r.Next(256) : (byte)0))],
            },
            BtfKind.Enum => new BtfType
            {
                Kind = kind, Name = Name(), Size = 4, KindFlag = flag,
                EnumValues = [.. Enumerable.Range(0, n).Select(_ => new BtfEnumValue(Name(), flag ? r.Next(int.MinValue, int.MaxValue) : (long)(uint)r.Next()))],
            },
            BtfKind.Enum64 => new BtfType { Kind = kind, Name = Name(), Size = 8, KindFlag = flag, EnumValues = [.. Enumerable.Range(0, n).Select(_ => new BtfEnumValue(Name(), r.NextInt64(long.MinValue, long.MaxValue)))] },
            BtfKind.Forward => new BtfType { Kind = kind, Name = Name(), KindFlag = flag },
            BtfKind.Func => new BtfType { Kind = kind, Name = Name(), TypeId = Ref(), Linkage = r.Next(3) },
            BtfKind.FuncProto => new BtfType { Kind = kind, TypeId = Ref(), Parameters = [.. Enumerable.Range(0, n).Select(_ => new BtfParameter(Name(), Ref()))] },
            BtfKind.Var => new BtfType { Kind = kind, Name = Name(), TypeId = Ref(), Linkage = r.Next(3) },
            BtfKind.DataSection => new BtfType { Kind = kind, Name = Name(), Size = (uint)r.Next(), Variables = [.. Enumerable.Range(0, n).Select(_ => new BtfSectionVariable(Ref(), (uint)r.Next(), (uint)r.Next()))] },
            BtfKind.Float => new BtfType { Kind = kind, Name = Name(), Size = (uint)r.Next(1, 17) },
            BtfKind.DeclTag => new BtfType { Kind = kind, Name = Name(), TypeId = Ref(), ComponentIndex = r.Next(-1, 10) },
            _ => new BtfType { Kind = kind, Name = Name(), TypeId = Ref(), KindFlag = kind == BtfKind.TypeTag && flag },
        };
    }

    [Fact]
    public void TheBuilderRefusesWhatBtfCannotSay()
    {
        var b = new BtfBuilder();
        Assert.Throws<ArgumentException>(() => b.Add(new BtfType { Kind = BtfKind.Unknown }));
        Assert.Throws<ArgumentException>(() => b.Add(new BtfType { Kind = (BtfKind)30 }));
        Assert.Throws<ArgumentException>(() => b.Add(new BtfType { Kind = BtfKind.Struct, Members = [new BtfMember("a", 1, 0, 3)] }));
        Assert.Throws<ArgumentException>(() => b.Add(new BtfType { Kind = BtfKind.Struct, KindFlag = true, Members = [new BtfMember("a", 1, 1u << 24, 3)] }));
        Assert.Throws<ArgumentException>(() => b.AddEnum("e", 4, false, ("TOO_BIG", 1L << 33)));
        Assert.Throws<ArgumentException>(() => b.AddString("a\0b"));
        Assert.Equal(1u, b.NextId); // nothing was added
    }

    [Fact]
    public void StringsAreSharedAndAddressable()
    {
        var b = new BtfBuilder();
        uint file = b.AddString("/src/prog.c");
        Assert.Equal(file, b.AddString("/src/prog.c"));
        uint line = b.AddString("return 0;");
        uint i = b.AddInt("int", 4, signed: true);
        b.AddStruct("s", 4, ("int", i, 0u)); // "int" once for both
        BtfSpec spec = b.ToSpec();
        Assert.Equal("/src/prog.c", spec.GetString(file));
        Assert.Equal("return 0;", spec.GetString(line));
        Assert.Equal(0u, b.AddString(""));
        byte[] blob = b.Build();
        Assert.Equal(1, CountOccurrences(blob, "int\0"u8));
    }

    static int CountOccurrences(byte[] blob, ReadOnlySpan<byte> what)
    {
        int count = 0;
        for (int i = 0; i + what.Length <= blob.Length; i++)
            if (blob.AsSpan(i, what.Length).SequenceEqual(what)) count++;
        return count;
    }

    [Fact]
    public void ReplaceKeepsTheIdAndChangesTheType()
    {
        BtfSpec spec = BtfSpec.Parse(BtfTools.CompileBtf("every_kind.bpf.c"));
        BtfBuilder b = BtfBuilder.From(spec);
        BtfType data = spec.Find(".data", BtfKind.DataSection)!;
        b.Replace(data.Id, data with { Size = 200, Name = ".data.renamed" });
        BtfSpec changed = b.ToSpec();
        Assert.Equal(200u, changed[data.Id].Size);
        Assert.Equal(".data.renamed", changed[data.Id].Name);
        Assert.Equal(spec.TypeCount, changed.TypeCount);
        Assert.Equal(data.Id, b[data.Id].Id);
        Assert.Throws<ArgumentOutOfRangeException>(() => b.Replace(0, data));
        Assert.Throws<ArgumentOutOfRangeException>(() => b.Replace((uint)spec.TypeCount, data));
    }
}
