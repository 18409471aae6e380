using System.Text;
using System.Text.Json;

namespace BpfSharp.Btf.Values;

/// <summary>
/// Shows the bytes of a map key or value, a global variable or a ring-buffer record through its BTF type, with field
/// names: as C-like text (<c>{ .pid = 42, .comm = "bash" }</c>) or as JSON (<c>{"pid":42,"comm":"bash"}</c>).
/// </summary>
/// <remarks>
/// Integers print with their sign; bitfields are extracted and sign-extended; <c>bool</c> as true/false; enums by
/// enumerator name (the number when none matches); a plain-<c>char</c> array holding a NUL-terminated printable
/// string as a string, other arrays element by element; structs, unions (every member) and data sections as objects,
/// members of anonymous nested structs lifted into the parent; pointers and 128-bit integers in hex; floats at their
/// own precision. Bytes past the type's size are ignored (a record may carry a variable-length tail).
/// </remarks>
public static class BtfValueFormatter
{
    /// <summary>The value as C-like text, on one line unless <paramref name="indented"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="data"/> is shorter than the type, or the type has no size (void, a function).</exception>
    /// <exception cref="BtfFormatException">The BTF is malformed (a member past its struct's end, a type cycle …).</exception>
    public static string Format(BtfSpec btf, uint typeId, ReadOnlySpan<byte> data, bool indented = false)
    {
        var output = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        Write(output, btf, typeId, data, indented);
        return output.ToString();
    }

    /// <summary>Writes the value as C-like text to <paramref name="output"/>.</summary>
    public static void Write(TextWriter output, BtfSpec btf, uint typeId, ReadOnlySpan<byte> data, bool indented = false)
    {
        ArgumentNullException.ThrowIfNull(output);
        Check(btf, typeId, data);
        new BtfValueWalker(btf, new BtfValueTextSink(output, indented)).Walk(typeId, data);
    }

    /// <summary>The value as JSON (only what JSON requires is escaped: quotes, backslashes, control characters).</summary>
    public static string FormatJson(BtfSpec btf, uint typeId, ReadOnlySpan<byte> data, bool indented = false)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            WriteJson(writer, btf, typeId, data);
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Writes the value as one JSON value (object, array, number, string …) at the writer's position.</summary>
    public static void WriteJson(Utf8JsonWriter writer, BtfSpec btf, uint typeId, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Check(btf, typeId, data);
        new BtfValueWalker(btf, new BtfValueJsonSink(writer)).Walk(typeId, data);
    }

    static void Check(BtfSpec btf, uint typeId, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(btf);
        long size;
        try
        {
            size = btf.SizeOf(typeId);
        }
        catch (BtfFormatException e) when (typeId < (uint)btf.TypeCount)
        {
            throw new ArgumentException($"BTF type {typeId} ({BtfTypeName.Describe(btf, typeId)}) has no size to show a value of: {e.Message}", nameof(typeId), e);
        }
        if (data.Length < size)
            throw new ArgumentException($"the value has {data.Length} bytes, but BTF type {typeId} ({BtfTypeName.Describe(btf, typeId)}) is {size}.", nameof(data));
    }
}
