namespace BpfSharp;

/// <summary>Base of every exception BpfSharp throws on purpose: catch this to handle any BpfSharp failure.</summary>
public abstract class BpfException : Exception
{
    protected BpfException(string message) : base(message) { }
    protected BpfException(string message, Exception? inner) : base(message, inner) { }
}

/// <summary>Malformed input data (ELF, BTF, instructions): the message names where and what was expected.</summary>
public class BpfFormatException : BpfException
{
    public BpfFormatException(string message) : base(message) { }
    public BpfFormatException(string message, Exception? inner) : base(message, inner) { }
}
