namespace BpfSharp.Btf.Values;

/// <summary>Bytes as bpftool prints a value it has no BTF for: two hex digits per byte, separated by spaces (<c>2a 00 00 00</c>).</summary>
public static class HexBytes
{
    /// <summary>The bytes as space-separated lowercase hex pairs; empty for no bytes.</summary>
    public static string Format(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty) return "";
        return string.Create(bytes.Length * 3 - 1, bytes.ToArray(), static (destination, source) =>
        {
            for (int i = 0; i < source.Length; i++)
            {
                if (i > 0) destination[i * 3 - 1] = ' ';
                destination[i * 3] = "0123456789abcdef"[source[i] >> 4];
                destination[i * 3 + 1] = "0123456789abcdef"[source[i] & 0xf];
            }
        });
    }
}
