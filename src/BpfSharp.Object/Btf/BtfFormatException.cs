namespace BpfSharp.Btf;

/// <summary>BTF data that cannot be parsed; the message names the byte offset and what was expected.</summary>
public sealed class BtfFormatException(string message) : BpfFormatException(message);
