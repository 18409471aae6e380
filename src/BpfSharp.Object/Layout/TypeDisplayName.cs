using System.Text;

namespace BpfSharp.Layout;

/// <summary>Type names as a C# reader writes them: <c>MyApp.Outer.Pair&lt;System.UInt32, System.UInt64&gt;</c>, <c>System.Int32*</c>.</summary>
internal static class TypeDisplayName
{
    public static string Of(Type type)
    {
        var text = new StringBuilder();
        Append(text, type);
        return text.ToString();
    }

    static void Append(StringBuilder text, Type type)
    {
        if (type.IsPointer)
        {
            Append(text, type.GetElementType()!);
            text.Append('*');
        }
        else if (type.IsFunctionPointer)
        {
            text.Append(type.IsUnmanagedFunctionPointer ? "delegate* unmanaged<" : "delegate*<");
            foreach (Type parameter in type.GetFunctionPointerParameterTypes())
            {
                Append(text, parameter);
                text.Append(", ");
            }
            Append(text, type.GetFunctionPointerReturnType());
            text.Append('>');
        }
        else if (type.IsNested && !type.IsGenericParameter)
        {
            Append(text, type.DeclaringType!.IsGenericTypeDefinition && type.IsConstructedGenericType
                ? type.DeclaringType.MakeGenericType(type.GetGenericArguments()[..type.DeclaringType.GetGenericArguments().Length])
                : type.DeclaringType);
            text.Append('.');
            AppendSimpleName(text, type);
        }
        else
        {
            if (!string.IsNullOrEmpty(type.Namespace))
                text.Append(type.Namespace).Append('.');
            AppendSimpleName(text, type);
        }
    }

    static void AppendSimpleName(StringBuilder text, Type type)
    {
        string name = type.Name;
        int tick = name.IndexOf('`');
        text.Append(tick < 0 ? name : name[..tick]);
        if (tick < 0 || !type.IsConstructedGenericType)
            return;
        // Only this type's own arguments: a nested type's list starts with its declaring types'.
        int own = int.Parse(name[(tick + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        Type[] arguments = type.GetGenericArguments();
        text.Append('<');
        for (int i = arguments.Length - own; i < arguments.Length; i++)
        {
            Append(text, arguments[i]);
            if (i < arguments.Length - 1)
                text.Append(", ");
        }
        text.Append('>');
    }
}
