namespace BpfSharp.Maps;

/// <summary>
/// Where a batch lookup stands between calls: the kernel's opaque position token. Create one per sweep (or
/// <see cref="Reset"/> it) and pass it to each call until <see cref="Done"/>.
/// </summary>
public sealed class MapBatchCursor
{
    // Hash maps use a 4-byte bucket index, arrays and others the key itself: size it for the larger.
    internal readonly byte[] InToken;
    internal readonly byte[] OutToken;

    public MapBatchCursor(uint keySize = 8)
    {
        int size = (int)Math.Max(8, keySize);
        InToken = new byte[size];
        OutToken = new byte[size];
    }

    internal bool Started { get; set; }

    /// <summary>True once the kernel reported the end of the map.</summary>
    public bool Done { get; internal set; }

    public void Reset()
    {
        Started = false;
        Done = false;
        Array.Clear(InToken);
        Array.Clear(OutToken);
    }
}
