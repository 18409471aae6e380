using System.Collections.Concurrent;

namespace BpfSharp.Layout;

/// <summary>
/// The rules a C# type must follow to be a map key or value (docs/map-types.md), checked against the CLR's real
/// layout of the type.
/// </summary>
public static class MapTypeRules
{
    static readonly ConcurrentDictionary<Type, MapTypeLayout> Layouts = new();

    /// <summary>
    /// Throws <see cref="BpfLayoutException"/> for the first rule <typeparamref name="T"/> breaks; warnings do not throw.
    /// The verdict is computed once per type: later calls only read a static field.
    /// </summary>
    public static void Validate<T>(MapTypeRole role) where T : unmanaged
    {
        if (MapTypeVerdict<T>.FirstError is { } error)
            throw new BpfLayoutException(error, role);
    }

    /// <summary>Every violation of <paramref name="type"/>, errors and warnings, for tools and analyzers.</summary>
    public static IReadOnlyList<LayoutViolation> Check(Type type) => Analyze(type).Violations;

    /// <summary>The violations together with the type's size, alignment and padding holes.</summary>
    /// <exception cref="ArgumentException"><paramref name="type"/> is an open generic type.</exception>
    public static MapTypeLayout Analyze(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return Layouts.GetOrAdd(type, LayoutWalker.Analyze);
    }

    /// <summary>
    /// The alignment the running CLR gives <paramref name="type"/> as a field, measured (the offset of a field of that
    /// type placed after one byte). Pointers, nint/nuint and references have pointer alignment.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="type"/> is a ref struct or an open generic type.</exception>
    public static int AlignmentOf(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (type.ContainsGenericParameters || type.IsByRefLike || type.IsByRef || type == typeof(void))
            throw new ArgumentException($"'{TypeDisplayName.Of(type)}' cannot be a field, so it has no field alignment.", nameof(type));
        return ClrLayout.AlignmentOf(type);
    }
}
