using Xunit;

#pragma warning disable CS0649 // fixture fields exist to be laid out, never read

namespace MyApp
{
    struct StampHolder { public ulong Sequence; public Int128 Stamp; }
    struct Stats { public StampHolder Inner; public ulong Count; }
}

namespace BpfSharp.Layout.Tests
{
    public sealed class BpfLayoutExceptionTests
    {
        [Fact]
        public void Message_names_type_field_offset_rule_and_fix()
        {
            var error = Assert.Throws<BpfLayoutException>(() => MapTypeRules.Validate<MyApp.Stats>(MapTypeRole.Value));

            Assert.Equal(
                "Map value type 'MyApp.Stats' is not allowed: field 'Inner.Stamp' (System.Int128) at offset 16 needs 16-byte alignment, "
                + "but the kernel aligns map keys and values to 8 bytes (rule: alignment ≤ 8). "
                + "Fix: store it as two ulong fields (Lo, Hi) or a fixed byte[16] buffer.",
                error.Message);
            Assert.Equal(typeof(MyApp.Stats), error.Type);
            Assert.Equal("Inner.Stamp", error.FieldPath);
            Assert.Equal(16, error.Offset);
            Assert.Equal(LayoutRule.AlignmentAtMost8, error.Rule);
            Assert.Equal(MapTypeRole.Value, error.Role);
            Assert.IsAssignableFrom<BpfException>(error);
        }

        [Fact]
        public void Key_role_says_key_and_whole_type_violations_have_no_offset()
        {
            var error = Assert.Throws<BpfLayoutException>(() => MapTypeRules.Validate<Empty>(MapTypeRole.Key));

            Assert.StartsWith("Map key type 'BpfSharp.Layout.Tests.Empty' is not allowed: the type itself has no fields", error.Message);
            Assert.Equal("", error.FieldPath);
            Assert.Equal(-1, error.Offset);
            Assert.Contains("queue, stack, bloom filter", error.Fix);
        }

        [Fact]
        public void A_whole_type_that_is_over_aligned_is_rejected_as_itself()
        {
            var error = Assert.Throws<BpfLayoutException>(() => MapTypeRules.Validate<UInt128>(MapTypeRole.Value));

            Assert.Equal("", error.FieldPath);
            Assert.Contains("the type itself needs 16-byte alignment", error.Message);
        }

        [Fact]
        public void Types_are_named_as_in_csharp()
        {
            Assert.Equal("BpfSharp.Layout.Tests.Pair<System.UInt32, System.UInt64>", TypeDisplayName.Of(typeof(Pair<uint, ulong>)));
            Assert.Equal("System.Int32*", TypeDisplayName.Of(typeof(int*)));

            var pointer = Assert.Single(MapTypeRules.Check(typeof(HoldsFunctionPointer)));
            Assert.Contains("field 'Callback' (delegate* unmanaged<System.Int32, System.Void>) at offset 8", pointer.Describe());
        }
    }
}
