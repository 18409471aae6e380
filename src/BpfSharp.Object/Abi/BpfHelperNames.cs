namespace BpfSharp.Abi;

public static partial class BpfHelperNames
{
    /// <summary>The kernel's name of a helper (<c>bpf_map_lookup_elem</c>), or null for an id this kernel's ABI does not list.</summary>
    public static string? Get(int helperId) => (uint)helperId < (uint)names.Length ? names[helperId] : null;

    /// <summary>Number of helper ids known to the ABI this was generated from.</summary>
    public static int Count => names.Length;
}
