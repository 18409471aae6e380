using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Xunit;

namespace BpfSharp.Layout.Tests;

/// <summary>The measured layout must agree with what the CLR does to real instances.</summary>
public sealed class ClrLayoutTests
{
    static int OffsetOf(string field, Type type) =>
        ClrLayout.FieldOffsets(type).Single(f => f.Field.Name == field).Offset;

    [Fact]
    public void Field_offsets_match_the_addresses_of_fields_in_an_instance()
    {
        var packed = new PackedOne();
        var mixed = new BoolAndChar();
        var pair = new Pair<uint, ulong>();
        var nested = new NestedBuffers();

        Assert.Equal((int)Unsafe.ByteOffset(ref Unsafe.As<PackedOne, byte>(ref packed), ref Unsafe.As<ulong, byte>(ref packed.Value)), OffsetOf("Value", typeof(PackedOne)));
        Assert.Equal((int)Unsafe.ByteOffset(ref Unsafe.As<BoolAndChar, byte>(ref mixed), ref Unsafe.As<char, byte>(ref mixed.Letter)), OffsetOf("Letter", typeof(BoolAndChar)));
        Assert.Equal((int)Unsafe.ByteOffset(ref Unsafe.As<BoolAndChar, byte>(ref mixed), ref Unsafe.As<ushort, byte>(ref mixed.Code)), OffsetOf("Code", typeof(BoolAndChar)));
        Assert.Equal((int)Unsafe.ByteOffset(ref Unsafe.As<Pair<uint, ulong>, byte>(ref pair), ref Unsafe.As<ulong, byte>(ref pair.Second)), OffsetOf("Second", typeof(Pair<uint, ulong>)));
        Assert.Equal((int)Unsafe.ByteOffset(ref Unsafe.As<NestedBuffers, byte>(ref nested), ref Unsafe.As<ThreeHeaders, byte>(ref nested.Headers)), OffsetOf("Headers", typeof(NestedBuffers)));
    }

    [Fact]
    public void Field_offsets_are_the_clr_layout_not_the_marshalled_one()
    {
        // Marshalled, bool is 4 bytes and would push the 2-byte-aligned Letter to offset 4.
        Assert.Equal(2, OffsetOf("Letter", typeof(BoolAndChar)));
        Assert.Equal(1, OffsetOf("Value", typeof(PackedOne)));
        Assert.Equal(4, OffsetOf("High", typeof(Overlapping)));
    }

    [Theory]
    [InlineData(typeof(byte), 1)]
    [InlineData(typeof(bool), 1)]
    [InlineData(typeof(char), 2)]
    [InlineData(typeof(int), 4)]
    [InlineData(typeof(ulong), 8)]
    [InlineData(typeof(double), 8)]
    [InlineData(typeof(LongMask), 8)]
    [InlineData(typeof(Header), 2)]
    [InlineData(typeof(PackedOne), 1)]
    [InlineData(typeof(Counters), 8)]
    [InlineData(typeof(ThreeHeaders), 2)]
    [InlineData(typeof(Int128), 16)]
    [InlineData(typeof(UInt128), 16)]
    [InlineData(typeof(Vector128<int>), 16)]
    [InlineData(typeof(Vector64<int>), 8)]
    [InlineData(typeof(decimal), 8)]
    [InlineData(typeof(DateTime), 8)]
    [InlineData(typeof(HoldsInt128), 16)]
    [InlineData(typeof(int*), 8)]
    [InlineData(typeof(nint), 8)]
    public void AlignmentOf_is_what_the_clr_uses(Type type, int expected) =>
        Assert.Equal(expected, MapTypeRules.AlignmentOf(type));

    [Fact]
    public void AlignmentOf_matches_an_independent_measurement()
    {
        // The offset of a field after one byte, measured on an instance rather than through the probe.
        var holder = new Pair<byte, Int128>();
        int measured = (int)Unsafe.ByteOffset(ref Unsafe.As<Pair<byte, Int128>, byte>(ref holder), ref Unsafe.As<Int128, byte>(ref holder.Second));

        Assert.Equal(measured, MapTypeRules.AlignmentOf(typeof(Int128)));
    }

    [Fact]
    public void AlignmentOf_rejects_types_that_cannot_be_fields()
    {
        Assert.Throws<ArgumentException>(() => MapTypeRules.AlignmentOf(typeof(Span<int>)));
        Assert.Throws<ArgumentException>(() => MapTypeRules.AlignmentOf(typeof(Pair<,>)));
    }
}
