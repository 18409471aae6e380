using BpfSharp.Btf;

namespace BpfSharp.Object.Tests.Btf.Dump;

/// <summary>
/// Random but well-formed BTF graphs for differential tests against bpftool: few names (so they collide), structs
/// and unions that refer to each other in any direction, chains of pointers, qualifiers, arrays, typedefs and
/// function prototypes, enums of every size and sign, bitfields and irregular offsets. Only references from an
/// aggregate may point forward, so every loop passes through a struct or union (libbpf follows other loops forever).
/// </summary>
static class RandomBtf
{
    static readonly BtfKind[] Kinds =
    [
        BtfKind.Struct, BtfKind.Struct, BtfKind.Struct, BtfKind.Union, BtfKind.Pointer, BtfKind.Pointer, BtfKind.Pointer,
        BtfKind.Array, BtfKind.Typedef, BtfKind.Typedef, BtfKind.Enum, BtfKind.Enum64, BtfKind.Forward, BtfKind.Const,
        BtfKind.Volatile, BtfKind.Restrict, BtfKind.TypeTag, BtfKind.FuncProto, BtfKind.Func, BtfKind.Var,
    ];

    static readonly string[] Names = ["a", "b", "c", "d", "V0", "V1", ""];

    public static byte[] Generate(int seed)
    {
        var random = new Random(seed);
        int count = random.Next(8, 40);
        var blob = new BtfBlob();
        // Base types first, so that everything has something to end in.
        blob.Int("int", 4);
        blob.Int("char", 1);
        blob.Int("long", 8);
        blob.Int("unsigned short", 2, signed: false);
        blob.Add(BtfKind.Float, "double", 8);
        const int firstGenerated = 6;
        var kinds = new BtfKind[firstGenerated + count];
        for (int i = firstGenerated; i < kinds.Length; i++) kinds[i] = Kinds[random.Next(Kinds.Length)];

        bool IsAggregate(uint id) => id < kinds.Length && kinds[id] is BtfKind.Struct or BtfKind.Union;
        var targets = new uint[kinds.Length];
        uint Backward(uint self, bool allowVoid)
        {
            // Lower ids, or any struct/union: loops then always pass through an aggregate.
            while (true)
            {
                uint target = (uint)random.Next(allowVoid ? 0 : 1, kinds.Length);
                if (target == 0 || target < self || IsAggregate(target))
                    if (target < firstGenerated || kinds[target] is not (BtfKind.Func or BtfKind.Var or BtfKind.FuncProto)) return target;
            }
        }
        string Name() => Names[random.Next(Names.Length)];
        string RequiredName() => Names[random.Next(Names.Length - 1)];

        // What typedefs, qualifiers, pointers and arrays refer to is fixed first, so that members can avoid types
        // without a size (void, forward declarations): libbpf divides by their alignment of 0.
        for (uint id = firstGenerated; id < kinds.Length; id++)
        {
            targets[id] = kinds[id] switch
            {
                BtfKind.Pointer or BtfKind.Const or BtfKind.Volatile or BtfKind.Restrict => Backward(id, allowVoid: true),
                BtfKind.Typedef => Backward(id, allowVoid: random.Next(4) == 0),
                BtfKind.TypeTag or BtfKind.Array or BtfKind.Var => Backward(id, allowVoid: false),
                _ => 0,
            };
        }
        bool Unsized(uint id)
        {
            for (int hops = 0; hops < kinds.Length; hops++)
            {
                if (id == 0 || (id >= firstGenerated && kinds[id] == BtfKind.Forward)) return true;
                if (id < firstGenerated || kinds[id] is not (BtfKind.Typedef or BtfKind.Const or BtfKind.Volatile or BtfKind.Restrict or BtfKind.TypeTag or BtfKind.Array)) return false;
                id = targets[id];
            }
            return false;
        }

        for (uint id = firstGenerated; id < kinds.Length; id++)
        {
            switch (kinds[id])
            {
                case BtfKind.Struct or BtfKind.Union:
                {
                    int members = random.Next(0, 5);
                    bool bitfields = random.Next(3) == 0;
                    var data = new List<uint>();
                    uint offset = 0;
                    for (int m = 0; m < members; m++)
                    {
                        uint type = (uint)random.Next(1, kinds.Length);
                        if (type >= firstGenerated && kinds[type] is BtfKind.Func or BtfKind.Var or BtfKind.FuncProto) type = 1;
                        if (Unsized(type) && random.Next(20) != 0) type = 3;
                        uint bits = bitfields && random.Next(2) == 0 ? (uint)random.Next(1, 9) : 0;
                        if (kinds[id] == BtfKind.Struct && m > 0) offset += (uint)random.Next(0, 4) * 8 * (uint)(random.Next(2) == 0 ? 1 : 4) + bits;
                        data.Add(blobName(Name()));
                        data.Add(type);
                        data.Add(bitfields ? (bits << 24) | offset : offset);
                        if (kinds[id] == BtfKind.Struct) offset += random.Next(2) == 0 ? 32u : 8u;
                    }
                    uint size = (offset + 7) / 8 + (uint)random.Next(0, 9);
                    blob.Add(kinds[id], random.Next(3) == 0 ? "" : RequiredName(), size, members, bitfields, [.. data]);
                    break;
                }
                case BtfKind.Pointer or BtfKind.Const or BtfKind.Volatile or BtfKind.Restrict:
                    blob.Add(kinds[id], "", targets[id]);
                    break;
                case BtfKind.TypeTag or BtfKind.Typedef:
                    blob.Add(kinds[id], RequiredName(), targets[id]);
                    break;
                case BtfKind.Array:
                    blob.Add(kinds[id], "", 0, data: [targets[id], 1, (uint)random.Next(0, 4)]);
                    break;
                case BtfKind.Enum or BtfKind.Enum64:
                {
                    bool wide = kinds[id] == BtfKind.Enum64;
                    int values = random.Next(0, 4);
                    var data = new List<uint>();
                    for (int v = 0; v < values; v++)
                    {
                        data.Add(blobName(RequiredName()));
                        data.Add((uint)random.Next(-3, 5));
                        if (wide) data.Add(random.Next(3) == 0 ? 0xffffffffu : (uint)random.Next(0, 2));
                    }
                    uint size = wide ? 8 : new uint[] { 1, 2, 4, 8 }[random.Next(4)];
                    blob.Add(kinds[id], Name(), size, values, random.Next(2) == 0, [.. data]);
                    break;
                }
                case BtfKind.Forward:
                    blob.Add(kinds[id], RequiredName(), 0, kindFlag: random.Next(2) == 0);
                    break;
                case BtfKind.FuncProto:
                {
                    int parameters = random.Next(0, 4);
                    var data = new List<uint>();
                    for (int p = 0; p < parameters; p++)
                    {
                        data.Add(blobName(Name()));
                        data.Add(random.Next(5) == 0 ? 0 : Backward(id, allowVoid: false));
                    }
                    blob.Add(kinds[id], "", Backward(id, allowVoid: true), parameters, data: [.. data]);
                    break;
                }
                case BtfKind.Func:
                    blob.Add(kinds[id], RequiredName(), 0);
                    break;
                case BtfKind.Var:
                    blob.Add(kinds[id], RequiredName(), targets[id], data: [1]);
                    break;
            }
        }
        return blob.Build();

        uint blobName(string name) => blob.Name(name);
    }
}
