using BpfSharp.Btf;
using BpfSharp.Btf.Core;
using Xunit;

namespace BpfSharp.Object.Tests.Btf.Core;

/// <summary>libbpf's three type relations, case by case; both sides live in one BTF for brevity.</summary>
public class CoreTypeRelationTests
{
    [Theory]
    [InlineData("task_struct___mine", "task_struct")]
    [InlineData("task_struct", "task_struct")]
    [InlineData("a___b___c", "a___b")]
    [InlineData("foo____bar", "foo____bar")] // four underscores: no separator
    [InlineData("foo___", "foo___")]
    [InlineData("___foo", "___foo")]
    [InlineData("x___y", "x")]
    public void EssentialNames(string name, string essential) => Assert.Equal(essential, CoreNames.Essential(name));

    [Fact]
    public void TypeMatchingRules()
    {
        var b = new TestBtf();
        uint i32 = b.Int("int", 4, signed: true);
        uint u32 = b.Int("int", 4);
        uint i64 = b.Int("int", 8, signed: true);
        uint sA = b.Struct("s", 4, ("a", i32, 0));
        uint sAB = b.Struct("s___v2", 8, ("b", i32, 0), ("a", i32, 32));
        uint sOnlyB = b.Struct("s", 4, ("b", i32, 0));
        uint u = b.Union("s", 4, ("a", i32, 0));
        uint fwdStruct = b.Forward("s");
        uint fwdUnion = b.Forward("s", union: true);
        uint pS = b.Pointer(sA), pFwdStruct = b.Pointer(fwdStruct), pFwdUnion = b.Pointer(fwdUnion), pU = b.Pointer(u);
        uint arr4 = b.Array(i32, 4), arr5 = b.Array(i32, 5);
        uint e1 = b.Enum("e", 4, false, ("X", 1)), e2 = b.Enum64("e", 4, false, ("Y", 0), ("X___1", 9)), e3 = b.Enum("e", 8, false, ("X", 1));
        uint fp1 = b.FuncProto(i32, i32, pS), fp2 = b.FuncProto(i32, i32, pFwdStruct), fp3 = b.FuncProto(i32, i32);
        uint td = b.Typedef("t", sA), cq = b.Const(sA);
        BtfSpec s = b.Spec();
        int M(uint l, uint t) => CoreTypeMatching.TypesMatch(s, l, s, t);

        Assert.Equal(1, M(i32, i32));
        Assert.Equal(0, M(i32, u32));        // signedness
        Assert.Equal(0, M(i32, i64));        // size
        Assert.Equal(1, M(sA, sAB));         // members by name, in any order, target may have more
        Assert.Equal(0, M(sAB, sA));         // local has more
        Assert.Equal(0, M(sA, sOnlyB));
        Assert.Equal(0, M(sA, u));           // struct vs union
        Assert.Equal(0, M(sA, fwdStruct));   // a forward only stands in behind a pointer
        Assert.Equal(1, M(pS, pFwdStruct));
        Assert.Equal(0, M(pS, pFwdUnion));
        Assert.Equal(0, M(pS, pU));
        Assert.Equal(1, M(arr4, arr4));
        Assert.Equal(0, M(arr4, arr5));      // lengths must agree
        Assert.Equal(1, M(e1, e2));          // enum vs enum64, enumerators by essential name, values ignored
        Assert.Equal(0, M(e1, e3));          // size
        Assert.Equal(1, M(fp1, fp2));
        Assert.Equal(0, M(fp1, fp3));
        Assert.Equal(1, M(td, cq));          // typedefs and qualifiers are looked through
    }

    [Fact]
    public void TypeCompatibilityRules()
    {
        var b = new TestBtf();
        uint i32 = b.Int("int", 4, signed: true);
        uint u64 = b.Int("u64", 8);
        uint bitInt = b.Int("int", 4, signed: true, bits: 3, bitOffset: 2);
        uint s1 = b.Struct("s", 4, ("a", i32, 0));
        uint s2 = b.Struct("s", 8, ("zzz", u64, 0));
        uint u = b.Union("s", 4, ("a", i32, 0));
        uint e = b.Enum("e", 4, false, ("A", 1));
        uint e64 = b.Enum64("e___x", 8, false, ("B", 2));
        uint eOther = b.Enum("other", 4, false, ("A", 1));
        uint eAnon = b.Enum("", 4, false, ("A", 1));
        uint arr = b.Array(i32, 4), arrOther = b.Array(u64, 9), arrStruct = b.Array(s1, 1);
        uint fp = b.FuncProto(i32, i32), fpLong = b.FuncProto(u64, u64), fp2 = b.FuncProto(i32, i32, i32);
        uint f = b.Float("float", 4);
        BtfSpec s = b.Spec();
        int C(uint l, uint t) => CoreCompatibility.TypesAreCompatible(s, l, s, t);
        int F(uint l, uint t) => CoreCompatibility.FieldsAreCompatible(s, l, s, t);

        Assert.Equal(1, C(s1, s2));    // structs by kind only
        Assert.Equal(0, C(s1, u));
        Assert.Equal(1, C(e, e64));
        Assert.Equal(1, C(i32, u64));  // integers: size and sign ignored
        Assert.Equal(0, C(i32, bitInt));
        Assert.Equal(1, C(arr, arrOther));
        Assert.Equal(1, C(fp, fpLong));
        Assert.Equal(0, C(fp, fp2));
        Assert.Equal(0, C(f, f));      // type relocations do not cover floats

        Assert.Equal(1, F(s1, u));     // fields: any two composites
        Assert.Equal(1, F(f, f));
        Assert.Equal(0, F(arr, arrStruct));
        Assert.Equal(1, F(e, e64));    // enums by essential name...
        Assert.Equal(0, F(e, eOther));
        Assert.Equal(1, F(e, eAnon));  // ...or when one is anonymous
    }
}
