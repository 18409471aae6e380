using BpfSharp.Compiler.Emit;
using BpfSharp.Compiler.Types;
using Xunit;
using static BpfSharp.Compiler.Tests.Emit.TestTypes;

namespace BpfSharp.Compiler.Tests.Emit;

public class BtfTypeNamesTests
{
    [Fact]
    public void Generic_instantiations_read_as_their_arguments()
    {
        StructType pair = SequentialIn("App", "Pair", [U32, U64], ("A", U32), ("B", U64));
        StructType nested = SequentialIn("App", "Pair", [pair, new PointerType(U8)], ("A", pair), ("B", U64));
        var names = new BtfTypeNames([pair, nested]);
        Assert.Equal("Pair_u32_u64", names[pair]);
        Assert.Equal("Pair_Pair_u32_u64_ptr_u8", names[nested]);
    }

    [Fact]
    public void Nested_types_join_with_underscores_and_invalid_characters_are_replaced()
    {
        StructType inner = SequentialIn("App", "Outer.Inner", [], ("X", U32));
        StructType odd = SequentialIn("App", "Näme", [], ("X", U32));
        var names = new BtfTypeNames([inner, odd]);
        Assert.Equal("Outer_Inner", names[inner]);
        Assert.Equal("N_me", names[odd]);
        Assert.Equal("Count", CIdentifier.From("<Count>k__BackingField"));
        Assert.Equal("int_", CIdentifier.From("int"));
        Assert.Equal("_1st", CIdentifier.From("1st"));
    }

    [Fact]
    public void Names_are_qualified_only_on_collision()
    {
        StructType netKey = SequentialIn("App.Net", "Key", [], ("X", U32));
        StructType diskKey = SequentialIn("App.Disk", "Key", [], ("Y", U64));
        StructType unique = SequentialIn("App.Net", "Value", [], ("Z", U64));
        StructType generic = SequentialIn("App", "Box", [netKey], ("K", netKey));
        var names = new BtfTypeNames([netKey, unique, diskKey, generic]);
        Assert.Equal("App_Net_Key", names[netKey]);
        Assert.Equal("App_Disk_Key", names[diskKey]);
        Assert.Equal("Value", names[unique]);
        Assert.Equal("Box_App_Net_Key", names[generic]);
        // Deterministic: the order types are met in does not change any name.
        var reversed = new BtfTypeNames([generic, diskKey, unique, netKey]);
        Assert.Equal([names[netKey], names[diskKey], names[unique], names[generic]],
            [reversed[netKey], reversed[diskKey], reversed[unique], reversed[generic]]);
    }
}
