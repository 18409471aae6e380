using BpfSharp.Layout;

namespace BpfSharp.Maps;

/// <summary>Bridge to the key/value type rules of docs/map-types.md (BpfSharp.Layout), checked before a typed map touches the kernel.</summary>
static class LayoutRules
{
    public static void Validate<T>(bool isKey) where T : unmanaged =>
        MapTypeRules.Validate<T>(isKey ? MapTypeRole.Key : MapTypeRole.Value);
}
