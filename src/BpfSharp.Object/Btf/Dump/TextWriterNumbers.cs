using System.Globalization;

namespace BpfSharp.Btf.Dump;

/// <summary>Writes numbers through a stack buffer: <see cref="TextWriter.Write(int)"/> allocates a string per call.</summary>
static class TextWriterNumbers
{
    public static void WriteNumber(this TextWriter writer, ulong value)
    {
        Span<char> digits = stackalloc char[20];
        value.TryFormat(digits, out int length, default, CultureInfo.InvariantCulture);
        writer.Write(digits[..length]);
    }

    public static void WriteNumber(this TextWriter writer, long value)
    {
        Span<char> digits = stackalloc char[20];
        value.TryFormat(digits, out int length, default, CultureInfo.InvariantCulture);
        writer.Write(digits[..length]);
    }
}
