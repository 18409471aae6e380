namespace BpfSharp.Kernel;

/// <summary>Thrown on the CLR by APIs that exist only inside an eBPF program (helpers, map operations, contexts).</summary>
public sealed class BpfOnlyException(string api)
    : NotSupportedException($"{api} runs only inside an eBPF program compiled by BpfSharp; it cannot be called on the CLR.")
{
}
