using System.Buffers.Binary;
using System.Reflection;
using System.Reflection.Metadata;
using BpfSharp.Compiler.Diagnostics;
using BpfSharp.Compiler.Metadata;
using BpfSharp.Compiler.Types;

namespace BpfSharp.Compiler.Frontend;

/// <summary>
/// Evaluates a module's static constructor, which Roslyn emits for static field initialisers, as far as it only
/// stores constants into the module's own fields: those become the initial bytes of <c>.data</c>/<c>.rodata</c>.
/// </summary>
internal static class StaticInitializer
{
    public static Dictionary<string, byte[]> Evaluate(ModuleContext context, LoadedAssembly assembly, TypeDefinition type, string moduleFullName)
    {
        var values = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        MetadataReader reader = assembly.Reader;
        foreach (MethodDefinitionHandle mh in type.GetMethods())
        {
            MethodDefinition md = reader.GetMethodDefinition(mh);
            if (reader.GetString(md.Name) != ".cctor" || assembly.GetBody(mh) is not { } body) continue;
            var stack = new Stack<long>();
            foreach (IlInstruction i in IlReader.Decode(body.GetILReader()))
            {
                switch (i.OpCode)
                {
                    case >= ILOpCode.Ldc_i4_m1 and <= ILOpCode.Ldc_i4_8: stack.Push((int)i.OpCode - (int)ILOpCode.Ldc_i4_0); break;
                    case ILOpCode.Ldc_i4 or ILOpCode.Ldc_i8: stack.Push(i.Operand); break;
                    case ILOpCode.Ldnull: stack.Push(0); break;
                    case ILOpCode.Conv_i8 or ILOpCode.Conv_i: stack.Push((int)stack.Pop()); break;
                    case ILOpCode.Conv_u8 or ILOpCode.Conv_u: stack.Push((uint)stack.Pop()); break;
                    case ILOpCode.Conv_i1 or ILOpCode.Conv_u1 or ILOpCode.Conv_i2 or ILOpCode.Conv_u2 or ILOpCode.Conv_i4 or ILOpCode.Conv_u4: break;
                    case ILOpCode.Nop: break;
                    case ILOpCode.Ret: return values;
                    case ILOpCode.Stsfld when stack.Count > 0:
                    {
                        FieldReference f = context.Types.ResolveField(assembly, i.Token, GenericContext.Empty);
                        TypeModel t = f.Type is EnumType e ? e.Underlying : f.Type;
                        if (f.DeclaringTypeFullName != moduleFullName) goto default;
                        if (t is not PrimitiveType)
                        {
                            if (stack.Pop() != 0) goto default;
                            break; // `= null!` on a map field, or zero: the default anyway
                        }
                        var bytes = new byte[t.Size];
                        long v = stack.Pop();
                        switch (bytes.Length)
                        {
                            case 1: bytes[0] = (byte)v; break;
                            case 2: BinaryPrimitives.WriteInt16LittleEndian(bytes, (short)v); break;
                            case 4: BinaryPrimitives.WriteInt32LittleEndian(bytes, (int)v); break;
                            default: BinaryPrimitives.WriteInt64LittleEndian(bytes, v); break;
                        }
                        values[f.Name] = bytes;
                        break;
                    }
                    default:
                        context.Diagnostics.Add(DiagnosticCatalog.StaticConstructor, SourceMap.For(assembly, mh).At(i.Offset),
                            moduleFullName, $"IL {i.OpCode.ToString().ToLowerInvariant()} at offset {i.Offset}");
                        return values;
                }
            }
        }
        return values;
    }
}
