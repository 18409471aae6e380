namespace BpfSharp.Objects;

/// <summary>
/// Loading an object failed for a reason of the object itself (an unresolved extern, an incompatible pinned map, an
/// unknown attach target …). The message names the object and the map, program or extern concerned, and how to fix it.
/// Kernel refusals keep their own types (<see cref="BpfSyscallException"/>, <see cref="BpfVerifierException"/>).
/// </summary>
public sealed class BpfObjectException : BpfException
{
    public BpfObjectException(string objectName, string element, string message, Exception? inner = null)
        : base($"object '{objectName}': {element}: {message}", inner)
    {
        ObjectName = objectName;
        Element = element;
    }

    public string ObjectName { get; }

    /// <summary>What failed, e.g. <c>map 'counts'</c> or <c>extern 'CONFIG_HZ'</c>.</summary>
    public string Element { get; }
}
