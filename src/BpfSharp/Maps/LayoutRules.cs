namespace BpfSharp.Maps;

/// <summary>Bridge to the key/value type rules (BpfSharp.Layout).</summary>
static class LayoutRules
{
    public static void Validate<T>(bool isKey) where T : unmanaged { }
}
