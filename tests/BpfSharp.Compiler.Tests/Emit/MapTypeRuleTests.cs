using BpfSharp.Abi;
using BpfSharp.Asm;
using BpfSharp.Btf;
using BpfSharp.Compiler.Backend;
using BpfSharp.Compiler.Diagnostics;
using BpfSharp.Compiler.Emit;
using BpfSharp.Compiler.IR;
using BpfSharp.Compiler.Types;
using BpfSharp.Objects;
using Xunit;
using static BpfSharp.Compiler.Tests.Emit.TestTypes;

namespace BpfSharp.Compiler.Tests.Emit;

/// <summary>The cases of docs/map-types.md's compiler table: each type as a map value, emitted, with what happens.</summary>
public class MapTypeRuleTests
{
    static readonly SourceLocation Declared = new("Rules.cs", 12, 5);

    /// <summary>Emits a module with one hash map of <paramref name="value"/> (key uint) and one program that returns 0.</summary>
    static (byte[]? Elf, IReadOnlyList<Diagnostic> Diagnostics) EmitWithValue(TypeModel value, TypeModel? key = null)
    {
        var module = new IrModule("Rules");
        module.Maps.Add(new MapDeclaration("Values", BpfMapType.Hash) { Key = key ?? U32, Value = value, MaxEntries = 4, Source = Declared });
        var prog = new IrFunction("Run") { Section = "xdp", ReturnKind = ValueKind.I32 };
        module.Functions.Add(prog);
        var bag = new DiagnosticBag();
        byte[]? elf = ObjectEmitter.Emit(module, [new CompiledFunction(prog, [Instruction.Mov(Register.R0, 0), Instruction.Exit()])], bag);
        return (elf, bag.ToList());
    }

    static BtfType ValueBtf(byte[] elf)
    {
        ObjectSpec spec = ObjectReader.Read(elf, "rules");
        return spec.Btf![spec.FindMap("Values")!.BtfValueTypeId];
    }

    [Fact]
    public void Implicit_padding_works_and_stays_a_hole_in_btf()
    {
        var (elf, diagnostics) = EmitWithValue(Sequential("Padded", ("A", U32), ("B", U64)));
        Assert.Empty(diagnostics);
        BtfType t = ValueBtf(elf!);
        Assert.Equal(16u, t.Size);
        Assert.Equal([0u, 64u], t.Members.Select(m => m.BitOffset)); // bytes 4..8 are padding: no member covers them
    }

    [Fact]
    public void Nested_structs_with_fixed_buffers_and_inline_arrays_work()
    {
        StructType counters = WithFields(Struct("Counters", 40, 8, []), Fixed("Values", U64, 4, 0), new FieldModel("Count", U32, 32));
        StructType value = Sequential("Nested", ("Tag", U8), ("Counters", counters), ("Slots", InlineArray("Slots4", U64, 4)));
        var (elf, diagnostics) = EmitWithValue(value);
        Assert.Empty(diagnostics);
        ObjectSpec spec = ObjectReader.Read(elf!, "rules");
        BtfType c = spec.Btf!.Find("Counters", BtfKind.Struct)!;
        Assert.True(spec.Btf[c.Members[0].TypeId] is { Kind: BtfKind.Array, ElementCount: 4 });
        Assert.Equal(80u, spec.FindMap("Values")!.ValueSize);
    }

    [Fact]
    public void Enums_over_byte_int_and_long_become_enum_and_enum64_with_their_members()
    {
        var value = Sequential("Enums", ("Small", TestTypes.Enum("Small", U8, ("A", 1), ("B", 255))),
            ("Medium", TestTypes.Enum("Medium", S32, ("Low", -5), ("High", int.MaxValue))),
            ("Large", TestTypes.Enum("Large", U64, ("Huge", unchecked((long)ulong.MaxValue)))));
        var (elf, diagnostics) = EmitWithValue(value);
        Assert.Empty(diagnostics);
        BtfSpec btf = ObjectReader.Read(elf!, "rules").Btf!;
        Assert.True(btf.Find("Small", BtfKind.Enum) is { Size: 1, IsSignedEnum: false, EnumValues: [{ Name: "A" }, { Name: "B", Value: 255 }] });
        Assert.True(btf.Find("Medium", BtfKind.Enum) is { Size: 4, IsSignedEnum: true, EnumValues: [{ Value: -5 }, _] });
        Assert.True(btf.Find("Large", BtfKind.Enum64) is { Size: 8, IsSignedEnum: false, EnumValues: [{ Name: "Huge", Value: -1 }] });
    }

    [Fact]
    public void Int128_fields_are_rejected_with_path_offset_rule_and_fix()
    {
        var (elf, diagnostics) = EmitWithValue(Struct("Stamped", 32, 16, [("Id", U32, 0), ("Stamp", Int128Type, 16)]));
        Assert.Null(elf);
        Diagnostic d = Assert.Single(diagnostics);
        Assert.Equal(("BPF0202", DiagnosticSeverity.Error, Declared), (d.Id, d.Severity, d.Location));
        Assert.Equal("Rules.cs(12,5): error BPF0202: Map 'Values' value type 'Stamped' is not allowed: field 'Stamp' (Int128) at offset 16 needs 16-byte alignment, "
            + "but the kernel aligns map keys and values (and the data sections holding globals) to 8 bytes (rule: alignment ≤ 8). "
            + "Store an Int128/UInt128 as two ulong fields (Lo, Hi) or a fixed byte[16] buffer, vector lanes in a fixed buffer or [InlineArray] of the lane type.", d.ToString());
    }

    [Fact]
    public void Nested_UInt128_is_reported_at_the_innermost_field()
    {
        StructType uint128 = Struct("UInt128", 16, 16, [("_lower", U64, 0), ("_upper", U64, 8)], ns: "System");
        StructType deep = Struct("Deep", 32, 16, [("X", U64, 0), ("Value", uint128, 16)]);
        StructType middle = Struct("Middle", 48, 16, [("Y", U32, 0), ("Deep", deep, 16)]);
        var (elf, diagnostics) = EmitWithValue(Struct("Outer", 64, 16, [("Z", U64, 0), ("Middle", middle, 16)]));
        Assert.Null(elf);
        Assert.Contains("field 'Middle.Deep.Value' (UInt128) at offset 48 needs 16-byte alignment", Assert.Single(diagnostics).Message);
    }

    [Fact]
    public void Pack_1_with_a_misaligned_ulong_is_a_warning_and_the_object_is_written()
    {
        var (elf, diagnostics) = EmitWithValue(Struct("Packed", 9, 1, [("Tag", U8, 0), ("Value", U64, 1)], pack: 1));
        Assert.NotNull(elf);
        Diagnostic d = Assert.Single(diagnostics);
        Assert.Equal(("BPF0206", DiagnosticSeverity.Warning), (d.Id, d.Severity));
        Assert.Contains("field 'Value' (ulong) at offset 1 is not 8-byte aligned", d.Message);
        Assert.Equal([0u, 8u], ValueBtf(elf!).Members.Select(m => m.BitOffset));
    }

    [Fact]
    public void A_generic_key_gets_a_readable_name()
    {
        StructType pair = SequentialIn("App", "Pair", [U32, U64], ("First", U32), ("Second", U64));
        var (elf, diagnostics) = EmitWithValue(U64, key: pair);
        Assert.Empty(diagnostics);
        ObjectSpec spec = ObjectReader.Read(elf!, "rules");
        Assert.Equal("Pair_u32_u64", spec.Btf![spec.FindMap("Values")!.BtfKeyTypeId].Name);
    }

    [Fact]
    public void Bool_and_char_fields_get_their_encodings()
    {
        var (elf, diagnostics) = EmitWithValue(Sequential("Flags", ("On", Bool), ("Letter", Char16), ("Count", U16)));
        Assert.Empty(diagnostics);
        BtfSpec btf = ObjectReader.Read(elf!, "rules").Btf!;
        BtfType t = ValueBtf(elf!);
        Assert.True(btf[t.Members[0].TypeId] is { Kind: BtfKind.Int, Size: 1, IsBool: true, IntBits: 8 });
        Assert.True(btf[t.Members[1].TypeId] is { Kind: BtfKind.Int, Size: 2, IsSigned: false, IsChar: false, Name: "char16_t" });
        Assert.Equal([0u, 16u, 32u], t.Members.Select(m => m.BitOffset));
    }

    public static TheoryData<string, string, string> Rejected => new()
    {
        { "pointer", "BPF0203", "field 'Items' (int*) at offset 8 is a pointer" },
        { "nint", "BPF0203", "field 'Handle' (nint) at offset 8 is a pointer" },
        { "float", "BPF0204", "field 'Ratio' (double) at offset 8 is floating point" },
        { "fixed float", "BPF0204", "field 'Lanes[0]' (float) at offset 4 is floating point" },
        { "auto", "BPF0205", "field 'Inner' (AutoInner) at offset 8 has LayoutKind.Auto" },
        { "empty", "BPF0207", "the type itself has no fields" },
        { "class", "BPF0208", "field 'Name' (String) at offset 8 is the reference type String" },
        { "inline array of nint", "BPF0203", "field 'Handles[0]' (nint) at offset 8 is a pointer" },
    };

    [Theory]
    [MemberData(nameof(Rejected))]
    public void Rejected_types_name_field_offset_and_rule(string @case, string id, string message)
    {
        TypeModel value = @case switch
        {
            "pointer" => Sequential("WithPointer", ("Id", S32), ("Items", new PointerType(S32))),
            "nint" => Sequential("WithHandle", ("Id", U32), ("Handle", NInt)),
            "float" => Sequential("WithDouble", ("Id", U32), ("Ratio", F64)),
            "fixed float" => WithFields(Struct("WithLanes", 20, 4, []), new FieldModel("Id", U32, 0), Fixed("Lanes", F32, 4, 4)),
            "auto" => Sequential("WithAuto", ("Id", U64), ("Inner", Struct("AutoInner", 8, 8, [("X", U64, 0)], layout: StructLayoutKind.Auto))),
            "empty" => Struct("Empty", 1, 1, []),
            "class" => Sequential("WithClass", ("Id", U64), ("Name", new ClassType("String", "System", [], null))),
            _ => Sequential("WithHandles", ("Id", U64), ("Handles", InlineArray("Handles2", NInt, 2))),
        };
        var (elf, diagnostics) = EmitWithValue(value);
        Assert.Null(elf);
        Diagnostic d = Assert.Single(diagnostics);
        Assert.Equal((id, Declared), (d.Id, d.Location));
        Assert.Contains(message, d.Message);
        Assert.Contains("(rule: ", d.Message);
        Assert.False(string.IsNullOrEmpty(d.Descriptor.Fix));
    }

    [Fact]
    public void Globals_follow_the_same_rules()
    {
        var module = new IrModule("Rules");
        module.Globals.Add(new GlobalVariable("Stamp", Int128Type, GlobalSection.Bss, new byte[16]) { Source = Declared });
        var prog = new IrFunction("Run") { Section = "xdp", ReturnKind = ValueKind.I32 };
        var bag = new DiagnosticBag();
        Assert.Null(ObjectEmitter.Emit(module, [new CompiledFunction(prog, [Instruction.Mov(Register.R0, 0), Instruction.Exit()])], bag));
        Assert.Contains("Global variable 'Stamp' of type 'Int128' is not allowed: the type itself needs 16-byte alignment", Assert.Single(bag.ToList()).Message);
    }
}
