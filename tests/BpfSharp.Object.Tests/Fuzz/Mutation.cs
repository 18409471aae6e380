using System.Buffers.Binary;

namespace BpfSharp.Object.Tests.Fuzz;

/// <summary>One change to a valid input. <see cref="ToString"/> says exactly what was done, for replays.</summary>
abstract record Mutation(string Note)
{
    public abstract byte[] Apply(byte[] original);

    protected string Where => Note.Length > 0 ? $" ({Note})" : "";
}

/// <summary>Keeps the first <paramref name="Length"/> bytes.</summary>
sealed record Truncation(int Length, string Note = "") : Mutation(Note)
{
    public override byte[] Apply(byte[] original) => original.AsSpan(0, Math.Min(Length, original.Length)).ToArray();
    public override string ToString() => $"truncate to {Length} bytes{Where}";
}

/// <summary>Flips bit <c>Bit</c> (0 = least significant) of the byte at <c>Offset</c>, for each pair.</summary>
sealed record BitFlips((int Offset, int Bit)[] Flips, string Note = "") : Mutation(Note)
{
    public override byte[] Apply(byte[] original)
    {
        byte[] copy = (byte[])original.Clone();
        foreach (var (offset, bit) in Flips)
            if (offset < copy.Length) copy[offset] ^= (byte)(1 << bit);
        return copy;
    }

    public override string ToString() =>
        $"flip {string.Join(", ", Flips.Select(f => $"bit {f.Bit} of byte 0x{f.Offset:x}"))}{Where}";
}

/// <summary>Overwrites the little-endian u32 at <c>Offset</c> with <c>Value</c>.</summary>
sealed record Overwrite32(int Offset, uint Value, string Note = "") : Mutation(Note)
{
    public override byte[] Apply(byte[] original)
    {
        byte[] copy = (byte[])original.Clone();
        if (Offset + 4 <= copy.Length) BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(Offset), Value);
        return copy;
    }

    public override string ToString() => $"overwrite u32 at 0x{Offset:x} with 0x{Value:x}{Where}";
}
