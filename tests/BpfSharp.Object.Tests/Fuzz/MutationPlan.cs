using System.Buffers.Binary;

namespace BpfSharp.Object.Tests.Fuzz;

/// <summary>
/// The mutations of one valid input, numbered: mutation <c>i</c> of seed <c>s</c> is always the same, so a failure
/// printed as (input, seed, index) replays exactly. Even indices walk a systematic list (truncations at the
/// header and at record boundaries, boundary values 0/1/0x7fffffff/0xffffffff in every header field and in the
/// fields of sample records); odd indices (and even ones past the list) are random: truncations, single and
/// multi-bit flips, and u32 overwrites whose value depends on the field (self- and dangling references, vlen
/// 0xffff, other kinds, shrunk lengths).
/// </summary>
sealed class MutationPlan
{
    static readonly uint[] Boundary = [0, 1, 0x7fffffff, 0xffffffff];

    readonly byte[] input;
    readonly FieldMap map;
    readonly ulong seed;
    readonly List<Mutation> systematic = [];

    public MutationPlan(byte[] input, FieldMap map, ulong seed)
    {
        this.input = input;
        this.map = map;
        this.seed = seed;
        BuildSystematic();
    }

    public int SystematicCount => systematic.Count;

    public Mutation this[long index] =>
        index % 2 == 0 && index / 2 < systematic.Count ? systematic[(int)(index / 2)] : Random(SplitMix64.For(seed, index));

    void BuildSystematic()
    {
        // Header fields first: they gate everything else.
        foreach (Field f in map.Fields.Where(f => f.Owner == 0 && f.Offset < 64))
            foreach (uint v in Boundary)
                systematic.Add(new Overwrite32(f.Offset, v, map.Describe(f)));
        for (int len = 0; len <= Math.Min(32, input.Length - 1); len++)
            systematic.Add(new Truncation(len, len < 24 ? "inside the header" : "just after the header"));
        // Truncations at and just inside the first records, and at sample records spread over the input.
        foreach (int start in SampleRecords(16))
            foreach (int delta in new[] { 0, 1, 4, 8, 11, 12 })
                if (start + delta < input.Length) systematic.Add(new Truncation(start + delta, $"record at 0x{start:x} + {delta}"));
        if (map.StructuredEnd > 0 && map.StructuredEnd < input.Length)
            systematic.Add(new Truncation(map.StructuredEnd + 1, "one byte into the table after the records"));
        systematic.Add(new Truncation(input.Length - 1, "last byte missing"));
        // Boundary values in the fields of sample records (at most 9 fields each).
        var owners = new HashSet<int>(SampleRecords(12));
        foreach (Field f in map.Fields.Where(f => f.Owner != 0 || f.Offset >= 64))
        {
            if (!owners.Contains(RecordStartOf(f))) continue;
            foreach (uint v in Boundary) systematic.Add(new Overwrite32(f.Offset, v, map.Describe(f)));
        }
    }

    IEnumerable<int> SampleRecords(int count)
    {
        List<int> starts = map.RecordStarts;
        if (starts.Count <= count) return starts;
        // The first half of the records (where headers and small types are), then evenly spaced ones, and the last.
        var picked = new SortedSet<int>(starts.Take(count / 2)) { starts[^1] };
        int spread = count - picked.Count;
        for (int i = 1; i <= spread; i++) picked.Add(starts[(int)((long)(starts.Count - 1) * i / (spread + 1))]);
        return picked;
    }

    int RecordStartOf(Field f)
    {
        int i = map.RecordStarts.BinarySearch(f.Offset);
        if (i < 0) i = ~i - 1;
        return i >= 0 ? map.RecordStarts[i] : -1;
    }

    Mutation Random(SplitMix64 rng)
    {
        int structured = map.StructuredEnd > 0 ? map.StructuredEnd : input.Length;
        int roll = rng.Below(100);
        if (roll < 12)
        {
            int limit = rng.Chance(70) ? structured : input.Length;
            return new Truncation(rng.Below(limit), "random");
        }
        if (roll < 37) return new BitFlips([RandomBit(ref rng, structured)], "random");
        if (roll < 50)
        {
            var flips = new (int, int)[2 + rng.Below(7)];
            for (int i = 0; i < flips.Length; i++) flips[i] = RandomBit(ref rng, structured);
            return new BitFlips(flips, "random");
        }
        if (roll < 88 && map.Fields.Count > 0)
        {
            Field f = rng.Pick(map.Fields);
            return new Overwrite32(f.Offset, ValueFor(f, ref rng), map.Describe(f));
        }
        int at = rng.Below(Math.Max(1, structured - 3)) & ~3;
        return new Overwrite32(at, (uint)rng.Next(), "random");
    }

    (int, int) RandomBit(ref SplitMix64 rng, int structured)
    {
        int offset = map.Fields.Count > 0 && rng.Chance(60)
            ? rng.Pick(map.Fields).Offset + rng.Below(4)
            : rng.Below(rng.Chance(70) ? structured : input.Length);
        return (Math.Min(offset, input.Length - 1), rng.Below(8));
    }

    uint ValueFor(Field f, ref SplitMix64 rng)
    {
        if (rng.Chance(40)) return rng.Pick(Boundary);
        uint original = f.Offset + 4 <= input.Length ? BinaryPrimitives.ReadUInt32LittleEndian(input.AsSpan(f.Offset)) : 0;
        uint count = Math.Max(1, map.RecordCount);
        switch (f.Role)
        {
            case FieldRole.TypeRef:
                return rng.Below(5) switch
                {
                    0 => f.Owner, // a reference to itself: cycles
                    1 => f.Owner + 1,
                    2 => count, // one past the last
                    3 => count - 1,
                    _ => (uint)rng.Below((int)Math.Min(count, int.MaxValue)),
                };
            case FieldRole.Info:
            {
                uint kind = (original >> 24) & 0x1f, vlen = original & 0xffff;
                return rng.Below(4) switch
                {
                    0 => (original & 0xffff0000) | 0xffff, // vlen 0xffff, same kind
                    1 => (original & 0x80000000) | ((uint)rng.Below(32) << 24) | vlen, // another kind, same vlen
                    2 => original ^ 0x80000000, // kind_flag
                    _ => (kind << 24) | (uint)rng.Below(0x10000),
                };
            }
            case FieldRole.SectionLength or FieldRole.SectionOffset or FieldRole.HeaderLength or FieldRole.Size:
                return rng.Below(4) switch
                {
                    0 => original == 0 ? 0 : (uint)rng.Below((int)Math.Min(original, int.MaxValue)), // shrunk
                    1 => original + 1 + (uint)rng.Below(8),
                    2 => original - 1 - (uint)rng.Below(8),
                    _ => (uint)input.Length,
                };
            case FieldRole.Name:
                return rng.Below(3) switch
                {
                    0 => map.StringsLength, // one past the table
                    1 => original + 1,
                    _ => (uint)rng.Below((int)Math.Min(map.StringsLength + 1, int.MaxValue)),
                };
            case FieldRole.Count:
                return rng.Below(3) switch
                {
                    0 => 0x10000000,
                    1 => original * 2 + 1,
                    _ => 0x80000000,
                };
            default:
                return (uint)rng.Next();
        }
    }
}
