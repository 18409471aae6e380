namespace BpfSharp.Btf.Values;

/// <summary>
/// Receives a decoded value from <see cref="BtfValueWalker"/> as a tree of objects (struct, union, data section),
/// arrays and scalars. One walker, one sink per output format (text, JSON).
/// </summary>
interface IBtfValueSink
{
    void BeginObject();
    /// <summary>The next object member's name; a value follows.</summary>
    void Name(string name);
    void EndObject();
    /// <summary>An array starts; <paramref name="ofComposites"/> when its elements are structs, unions or arrays.</summary>
    void BeginArray(bool ofComposites);
    void EndArray();
    void Signed(long value);
    void Unsigned(ulong value);
    void Bool(bool value);
    /// <summary>A floating-point value; <paramref name="size"/> is 2, 4 or 8 bytes, so it can be printed at its own precision.</summary>
    void Float(double value, int size);
    /// <summary>A NUL-terminated printable <c>char</c> array.</summary>
    void String(string value);
    /// <summary>An enumerator's name.</summary>
    void Enumerator(string name);
    /// <summary>A value shown in hexadecimal (pointers, 128-bit integers): <c>0x…</c>.</summary>
    void Hex(string hex);
    /// <summary>A type the walker cannot show as a value (a function, a forward declaration): its BTF kind.</summary>
    void Opaque(string what);
}
