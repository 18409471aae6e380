using System.Globalization;

namespace BpfSharp.Btf.Values;

/// <summary>
/// Writes a value as C-like text: <c>{ .pid = 42, .comm = "bash", .flags = [1, 2], .kind = OPEN, .ptr = 0xffff8880 }</c>.
/// Indented, every struct member goes on its own line, and so does every element of an array of structs.
/// </summary>
sealed class BtfValueTextSink(TextWriter output, bool indented) : IBtfValueSink
{
    const string Indent = "    ";

    struct Frame
    {
        public bool IsObject;
        public bool Multiline;
        public int Count;
    }

    readonly Stack<Frame> frames = new();
    bool afterName;

    public void BeginObject() => Open('{', isObject: true, multiline: indented);

    public void Name(string name)
    {
        Separate();
        output.Write('.');
        output.Write(name);
        output.Write(" = ");
        afterName = true;
    }

    public void EndObject() => Close('}');

    public void BeginArray(bool ofComposites) => Open('[', isObject: false, multiline: indented && ofComposites);

    public void EndArray() => Close(']');

    public void Signed(long value) => Scalar(value.ToString(CultureInfo.InvariantCulture));

    public void Unsigned(ulong value) => Scalar(value.ToString(CultureInfo.InvariantCulture));

    public void Bool(bool value) => Scalar(value ? "true" : "false");

    public void Float(double value, int size) => Scalar(size == 4
        ? ((float)value).ToString("R", CultureInfo.InvariantCulture)
        : value.ToString("R", CultureInfo.InvariantCulture));

    public void String(string value) => Scalar(Quote(value));

    public void Enumerator(string name) => Scalar(name);

    public void Hex(string hex) => Scalar(hex);

    public void Opaque(string what) => Scalar($"<{what}>");

    void Scalar(string text)
    {
        BeforeValue();
        output.Write(text);
    }

    void Open(char bracket, bool isObject, bool multiline)
    {
        BeforeValue();
        output.Write(bracket);
        frames.Push(new Frame { IsObject = isObject, Multiline = multiline });
    }

    void Close(char bracket)
    {
        Frame frame = frames.Pop();
        if (frame.Count > 0)
        {
            if (frame.Multiline) NewLine(frames.Count);
            else if (frame.IsObject) output.Write(' ');
        }
        output.Write(bracket);
    }

    /// <summary>An object member's value follows its name directly; an array element needs its separator first.</summary>
    void BeforeValue()
    {
        if (afterName)
        {
            afterName = false;
            return;
        }
        if (frames.Count > 0) Separate();
    }

    void Separate()
    {
        Frame frame = frames.Pop();
        if (frame.Count > 0) output.Write(',');
        if (frame.Multiline) NewLine(frames.Count + 1);
        else if (frame.Count > 0 || frame.IsObject) output.Write(' ');
        frame.Count++;
        frames.Push(frame);
    }

    void NewLine(int depth)
    {
        output.Write('\n');
        for (int i = 0; i < depth; i++) output.Write(Indent);
    }

    /// <summary>A C string literal (the walker only passes printable ASCII, so only quotes and backslashes need escapes).</summary>
    static string Quote(string s) => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
