namespace BpfSharp.Layout;

/// <summary>Bytes of a type that no field covers: <paramref name="Length"/> bytes from <paramref name="Offset"/>.</summary>
public readonly record struct PaddingHole(int Offset, int Length)
{
    public int End => Offset + Length;

    public override string ToString() => $"{Offset}..{End}";
}
