using BpfSharp.Abi;
using BpfSharp.Asm;
using BpfSharp.Compiler.Backend;
using BpfSharp.Compiler.IR;
using BpfSharp.Compiler.Types;
using static BpfSharp.Asm.Instruction;
using static BpfSharp.Compiler.Tests.Emit.TestTypes;

namespace BpfSharp.Compiler.Tests.Emit;

/// <summary>
/// A hand-built module that uses everything the emitter places: a hash map with a generic struct key and a value with
/// bool, char, enums over byte and long, a fixed buffer and an [InlineArray]; globals in .rodata, .data and .bss
/// (one written at an offset inside it); a program calling a subprogram that calls another one in .text; a callback
/// passed to bpf_loop; two kfunc calls; line info on every instruction.
/// </summary>
internal static class SampleModule
{
    public const uint KeyA = 7, KeyB = 9, Target = 41;
    public const string File = "Sample.cs";

    public static readonly StructType Pair = SequentialIn("App", "Pair", [U32, U64], ("A", U32), ("B", U64));
    public static readonly EnumType Color = TestTypes.Enum("Color", U8, ("Red", 0), ("Green", 1), ("Blue", 200));
    public static readonly EnumType Mode = TestTypes.Enum("Mode", S64, ("Off", 0), ("On", 1L << 40), ("Broken", -1));
    public static readonly StructType Slots = InlineArray("Slots2", U32, 2);
    public static readonly StructType Stats = WithFields(Struct("Stats", 32, 8, []),
        new FieldModel("<Count>k__BackingField", U64, 0), new FieldModel("Flag", Bool, 8), new FieldModel("Letter", Char16, 10),
        new FieldModel("Kind", Color, 12), Fixed("Name", U8, 3, 13), new FieldModel("Slots", Slots, 16), new FieldModel("Mode", Mode, 24));

    public static (IrModule Module, List<CompiledFunction> Functions) Build(bool withKfuncs = true)
    {
        var module = new IrModule("Sample") { License = "GPL" };
        module.Maps.Add(new MapDeclaration("Counts", BpfMapType.Hash) { Key = Pair, Value = Stats, MaxEntries = 16, ClrTypeName = "HashMap<Pair<uint, ulong>, Stats>" });
        module.Globals.Add(new GlobalVariable("Target", U32, GlobalSection.ReadOnly, BitConverter.GetBytes(Target)));
        module.Globals.Add(new GlobalVariable("Result", U64, GlobalSection.Data, BitConverter.GetBytes(1UL)));
        module.Globals.Add(new GlobalVariable("Seen", U64, GlobalSection.Bss, new byte[8]));
        module.Globals.Add(new GlobalVariable("Last", Pair, GlobalSection.Bss, new byte[16]));
        module.Globals.Add(new GlobalVariable("Loops", U32, GlobalSection.Bss, new byte[4]));
        if (withKfuncs)
        {
            module.Kfuncs["bpf_rcu_read_lock"] = new FunctionSignature([], null);
            module.Kfuncs["bpf_rcu_read_unlock"] = new FunctionSignature([], null);
        }

        var xdpMd = Sequential("XdpMd", ("data", U32), ("data_end", U32), ("data_meta", U32), ("ingress_ifindex", U32), ("rx_queue_index", U32), ("egress_ifindex", U32));
        var prog = Function("Count", "xdp", 10, [("ctx", new ByRefType(xdpMd))], S32);
        var addOne = Function("AddOne", null, 40, [("x", U32)], U64);
        var identity = Function("Identity", null, 45, [("value", U32)], U32);
        var callback = Function("OnLoop", null, 50, [("index", U32), ("context", new PointerType(VoidType))], S64);

        int line = 11;
        Instruction L(Instruction i) => i.WithSource(new SourceLocation(File, line, 9, $"        statement {line++};"));
        var main = new List<Instruction>
        {
            L(Mov(Register.R1, 0)), L(Store(MemorySize.DoubleWord, Register.R10, -16, Register.R1)), L(Store(MemorySize.DoubleWord, Register.R10, -8, Register.R1)),
            L(StoreImmediate(MemorySize.Word, Register.R10, -16, (int)KeyA)), L(StoreImmediate(MemorySize.DoubleWord, Register.R10, -8, (int)KeyB)),
            L(Store(MemorySize.DoubleWord, Register.R10, -48, Register.R1)), L(Store(MemorySize.DoubleWord, Register.R10, -40, Register.R1)),
            L(Store(MemorySize.DoubleWord, Register.R10, -32, Register.R1)), L(Store(MemorySize.DoubleWord, Register.R10, -24, Register.R1)),
            L(StoreImmediate(MemorySize.DoubleWord, Register.R10, -48, 1)),      // Count
            L(StoreImmediate(MemorySize.Byte, Register.R10, -40, 1)),            // Flag
            L(StoreImmediate(MemorySize.Half, Register.R10, -38, 'Z')),          // Letter
            L(StoreImmediate(MemorySize.Byte, Register.R10, -36, 1)),            // Kind = Green (bpftool 7.1 reads 1-byte enums as signed char: 200 would print as -56)
            L(StoreImmediate(MemorySize.Byte, Register.R10, -35, 'a')),          // Name[0]
            L(StoreImmediate(MemorySize.Word, Register.R10, -28, 5)),            // Slots[1]
            L(StoreImmediate(MemorySize.DoubleWord, Register.R10, -24, -1)),     // Mode = Broken
            L(LoadMapByName(Register.R1, "Counts")),
            L(Mov(Register.R2, Register.R10)), L(Alu(AluOp.Add, Register.R2, -16)),
            L(Mov(Register.R3, Register.R10)), L(Alu(AluOp.Add, Register.R3, -48)),
            L(Mov(Register.R4, 0)), L(Call(2)),                                                 // map_update_elem
            L(LoadMapValue(Register.R1, 0, 0).WithReference("Seen")), L(Mov(Register.R2, 1)),
            L(Atomic(AtomicOp.Add, MemorySize.DoubleWord, Register.R1, 0, Register.R2)),
            L(LoadMapValue(Register.R1, 0, 0).WithReference("Target")), L(Load(MemorySize.Word, Register.R1, Register.R1, 0)),
            L(CallSubprogram(0).WithReference("AddOne")),
            L(LoadMapValue(Register.R1, 0, 0).WithReference("Result")), L(Store(MemorySize.DoubleWord, Register.R1, 0, Register.R0)),
            L(LoadMapValue(Register.R1, 0, 8).WithReference("Last")), L(Store(MemorySize.DoubleWord, Register.R1, 0, Register.R0)),
            L(Mov(Register.R1, 1)), L(LoadFunction(Register.R2, 0).WithReference("OnLoop")), L(Mov(Register.R3, 0)), L(Mov(Register.R4, 0)),
            L(Call(181)),                                                                       // bpf_loop
        };
        if (withKfuncs) main.AddRange([L(CallKfuncByName("bpf_rcu_read_lock")), L(CallKfuncByName("bpf_rcu_read_unlock"))]);
        main.AddRange([L(Mov(Register.R0, 2)), L(Exit())]);                                    // XDP_PASS

        line = 41;
        Instruction[] addOneCode = [L(CallSubprogram(0).WithReference("Identity")), L(Alu(AluOp.Add, Register.R0, 1)), L(Exit())];
        line = 46;
        Instruction[] identityCode = [L(Mov(Register.R0, Register.R1)), L(Exit())];
        line = 51;
        Instruction[] callbackCode =
        [
            L(LoadMapValue(Register.R1, 0, 0).WithReference("Loops")), L(Mov(Register.R2, 1)),
            L(Atomic(AtomicOp.Add, MemorySize.Word, Register.R1, 0, Register.R2)), L(Mov(Register.R0, 0)), L(Exit()),
        ];
        module.Functions.AddRange([prog, addOne, identity, callback]);
        return (module, [new(prog, [.. main]), new(addOne, addOneCode), new(identity, identityCode), new(callback, callbackCode)]);
    }

    static IrFunction Function(string name, string? section, int line, (string, TypeModel)[] parameters, TypeModel returns)
    {
        var f = new IrFunction(name)
        {
            Section = section,
            Source = new SourceLocation(File, line, 5),
            Signature = new FunctionSignature(parameters, returns),
            ReturnKind = returns.RegisterKind,
        };
        foreach ((string n, TypeModel t) in parameters) f.Parameters.Add(f.NewRegister(t.RegisterKind!.Value, n));
        return f;
    }
}
