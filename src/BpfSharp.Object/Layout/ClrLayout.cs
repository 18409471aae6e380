using System.Collections.Concurrent;
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;

namespace BpfSharp.Layout;

/// <summary>
/// Sizes, alignments and field offsets as the running CLR lays types out, measured rather than computed:
/// <c>Marshal.SizeOf</c>/<c>Marshal.OffsetOf</c> describe the marshalled layout, which differs (bool is 4 bytes
/// there, char 1, and Auto layout throws).
/// </summary>
internal static class ClrLayout
{
    const BindingFlags InstanceFields = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;

    static readonly ConcurrentDictionary<Type, IReadOnlyList<(FieldInfo Field, int Offset)>> FieldOffsetCache = new();
    static readonly ConcurrentDictionary<Type, int> AlignmentCache = new();

    public static bool IsPointerLike(Type type) =>
        type.IsPointer || type.IsFunctionPointer || type == typeof(nint) || type == typeof(nuint);

    public static int SizeOf(Type type) =>
        IsPointerLike(type) || !type.IsValueType ? IntPtr.Size : RuntimeHelpers.SizeOf(type.TypeHandle);

    public static int AlignmentOf(Type type)
    {
        if (IsPointerLike(type) || !type.IsValueType)
            return IntPtr.Size;
        return AlignmentCache.GetOrAdd(type, MeasureAlignment);
    }

    /// <summary>The instance fields of a value type with their byte offsets, in offset order.</summary>
    public static IReadOnlyList<(FieldInfo Field, int Offset)> FieldOffsets(Type valueType) =>
        FieldOffsetCache.GetOrAdd(valueType, MeasureFieldOffsets);

    // A value of the type placed right after one byte lands on the first offset the CLR allows for it.
    static int MeasureAlignment(Type type)
    {
        Type probe = typeof(AlignmentProbe<>).MakeGenericType(type);
        var offsets = FieldOffsets(probe);
        int valueOffset = offsets.Single(f => f.Field.Name == nameof(AlignmentProbe<>.Value)).Offset;
        // If the CLR ever reorders the probe (it may for auto-layout T), the size difference still tells.
        return valueOffset > 0 ? valueOffset : SizeOf(probe) - SizeOf(type);
    }

    // Emits, once per type: for each field i, offsets[i] = (byte*)&local.field_i - (byte*)&local.
    static IReadOnlyList<(FieldInfo Field, int Offset)> MeasureFieldOffsets(Type valueType)
    {
        FieldInfo[] fields = valueType.GetFields(InstanceFields);
        var method = new DynamicMethod(
            "FieldOffsets", returnType: null, parameterTypes: [typeof(int[])], typeof(ClrLayout).Module, skipVisibility: true);
        ILGenerator il = method.GetILGenerator();
        il.DeclareLocal(valueType);
        for (int i = 0; i < fields.Length; i++)
        {
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Ldc_I4, i);
            il.Emit(OpCodes.Ldloca_S, (byte)0);
            il.Emit(OpCodes.Ldflda, fields[i]);
            il.Emit(OpCodes.Ldloca_S, (byte)0);
            il.Emit(OpCodes.Sub);
            il.Emit(OpCodes.Conv_I4);
            il.Emit(OpCodes.Stelem_I4);
        }
        il.Emit(OpCodes.Ret);

        var offsets = new int[fields.Length];
        method.Invoke(null, [offsets]);
        return fields.Select((f, i) => (f, offsets[i])).OrderBy(p => p.Item2).ToArray();
    }

    struct AlignmentProbe<T>
    {
#pragma warning disable CS0169, CS0649 // never read or written: only measured
        byte _pad;
        public T Value;
#pragma warning restore CS0169, CS0649
    }
}
