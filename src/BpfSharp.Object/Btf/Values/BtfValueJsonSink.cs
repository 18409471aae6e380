using System.Text.Json;

namespace BpfSharp.Btf.Values;

/// <summary>
/// Writes a value as JSON: objects with the field names, arrays, numbers, <c>true</c>/<c>false</c>, strings for
/// <c>char</c> arrays and enumerator names, and <c>"0x…"</c> strings for pointers and 128-bit integers (a NaN or
/// infinite float is a string too, JSON having no number for it).
/// </summary>
sealed class BtfValueJsonSink(Utf8JsonWriter writer) : IBtfValueSink
{
    public void BeginObject() => writer.WriteStartObject();

    public void Name(string name) => writer.WritePropertyName(name);

    public void EndObject() => writer.WriteEndObject();

    public void BeginArray(bool ofComposites) => writer.WriteStartArray();

    public void EndArray() => writer.WriteEndArray();

    public void Signed(long value) => writer.WriteNumberValue(value);

    public void Unsigned(ulong value) => writer.WriteNumberValue(value);

    public void Bool(bool value) => writer.WriteBooleanValue(value);

    public void Float(double value, int size)
    {
        if (!double.IsFinite(value)) writer.WriteStringValue(value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        else if (size == 4) writer.WriteNumberValue((float)value);
        else writer.WriteNumberValue(value);
    }

    public void String(string value) => writer.WriteStringValue(value);

    public void Enumerator(string name) => writer.WriteStringValue(name);

    public void Hex(string hex) => writer.WriteStringValue(hex);

    public void Opaque(string what) => writer.WriteStringValue($"<{what}>");
}
