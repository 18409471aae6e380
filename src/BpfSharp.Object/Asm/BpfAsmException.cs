namespace BpfSharp.Asm;

/// <summary>Malformed bytecode, or an instruction sequence that cannot be encoded or assembled.</summary>
public class BpfAsmException : BpfFormatException
{
    /// <summary>Creates the exception with a message.</summary>
    public BpfAsmException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the byte offset of the offending data.</summary>
    public BpfAsmException(string message, long byteOffset) : base(message) => ByteOffset = byteOffset;

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public BpfAsmException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>The byte offset in the decoded input that the error is about, when it is about bytes.</summary>
    public long? ByteOffset { get; }
}
