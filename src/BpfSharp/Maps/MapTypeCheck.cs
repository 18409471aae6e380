using System.Runtime.CompilerServices;
using BpfSharp.Abi;

namespace BpfSharp.Maps;

/// <summary>The checks a typed map makes when it wraps a kernel map: the right map type, and C# types that fit the kernel's sizes and the rules of docs/map-types.md.</summary>
static class MapTypeCheck
{
    public static void MapType(BpfMap map, string wrapper, params ReadOnlySpan<BpfMapType> accepted)
    {
        foreach (BpfMapType t in accepted)
            if (map.Type == t) return;
        throw new ArgumentException($"{wrapper} cannot wrap {map}: it needs a map of type {string.Join(" or ", accepted.ToArray())}.", nameof(map));
    }

    public static void Key<TKey>(BpfMap map) where TKey : unmanaged
    {
        LayoutRules.Validate<TKey>(isKey: true);
        if (Unsafe.SizeOf<TKey>() != map.KeySize)
            throw new ArgumentException(
                $"key type {typeof(TKey)} is {Unsafe.SizeOf<TKey>()} bytes, but {map} has {map.KeySize}-byte keys. " +
                "Fix: use a key type whose size matches the map (check Pack and padding), or create the map from the type.");
    }

    public static void Value<TValue>(BpfMap map) where TValue : unmanaged
    {
        LayoutRules.Validate<TValue>(isKey: false);
        if (Unsafe.SizeOf<TValue>() != map.ValueSize)
            throw new ArgumentException(
                $"value type {typeof(TValue)} is {Unsafe.SizeOf<TValue>()} bytes, but {map} has {map.ValueSize}-byte values. " +
                "Fix: use a value type whose size matches the map (check Pack and padding), or create the map from the type.");
    }
}
