using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;

namespace BpfSharp.Compiler.Frontend;

/// <summary>Decodes a method body's IL into <see cref="IlInstruction"/>s.</summary>
internal static class IlReader
{
    public static List<IlInstruction> Decode(BlobReader il)
    {
        var list = new List<IlInstruction>();
        EntityHandle constrained = default;
        int prefixStart = -1;
        while (il.RemainingBytes > 0)
        {
            int offset = il.Offset;
            ILOpCode op = ReadOpCode(ref il);
            long operand = 0;
            EntityHandle token = default;
            int[]? targets = null;
            switch (op)
            {
                case ILOpCode.Constrained:
                    constrained = MetadataTokens.EntityHandle(il.ReadInt32());
                    if (prefixStart < 0) prefixStart = offset;
                    continue;
                case ILOpCode.Volatile or ILOpCode.Readonly or ILOpCode.Tail:
                    if (prefixStart < 0) prefixStart = offset;
                    continue;
                case ILOpCode.Unaligned:
                    il.ReadByte();
                    if (prefixStart < 0) prefixStart = offset;
                    continue;
            }
            switch (OperandSize(op))
            {
                case OperandKind.None: break;
                case OperandKind.Int8: operand = il.ReadSByte(); break;
                case OperandKind.UInt8: operand = il.ReadByte(); break;
                case OperandKind.UInt16: operand = il.ReadUInt16(); break;
                case OperandKind.Int32: operand = il.ReadInt32(); break;
                case OperandKind.Int64: operand = il.ReadInt64(); break;
                case OperandKind.Float32: operand = BitConverter.SingleToInt32Bits(il.ReadSingle()); break;
                case OperandKind.Float64: operand = BitConverter.DoubleToInt64Bits(il.ReadDouble()); break;
                case OperandKind.Token: token = MetadataTokens.EntityHandle(il.ReadInt32()); break;
                case OperandKind.StringToken: operand = il.ReadInt32(); break;
                case OperandKind.ShortBranch: operand = il.ReadSByte(); operand += il.Offset; break;
                case OperandKind.Branch: operand = il.ReadInt32(); operand += il.Offset; break;
                case OperandKind.Switch:
                {
                    int n = il.ReadInt32();
                    if (n < 0 || n > il.RemainingBytes / 4) throw new BadImageFormatException("switch table runs past the method body");
                    var rel = new int[n];
                    for (int i = 0; i < n; i++) rel[i] = il.ReadInt32();
                    targets = new int[n];
                    for (int i = 0; i < n; i++) targets[i] = il.Offset + rel[i];
                    break;
                }
            }
            int start = prefixStart >= 0 ? prefixStart : offset;
            list.Add(new IlInstruction(start, il.Offset - start, Normalize(op), operand, token, targets) { Constrained = constrained });
            constrained = default;
            prefixStart = -1;
        }
        return list;
    }

    static ILOpCode ReadOpCode(ref BlobReader il)
    {
        byte b = il.ReadByte();
        return b == 0xFE ? (ILOpCode)(0xFE00 | il.ReadByte()) : (ILOpCode)b;
    }

    // Short forms become their long form so the translator has one case per operation.
    static ILOpCode Normalize(ILOpCode op) => op switch
    {
        ILOpCode.Br_s => ILOpCode.Br, ILOpCode.Brfalse_s => ILOpCode.Brfalse, ILOpCode.Brtrue_s => ILOpCode.Brtrue,
        ILOpCode.Beq_s => ILOpCode.Beq, ILOpCode.Bge_s => ILOpCode.Bge, ILOpCode.Bgt_s => ILOpCode.Bgt,
        ILOpCode.Ble_s => ILOpCode.Ble, ILOpCode.Blt_s => ILOpCode.Blt, ILOpCode.Bne_un_s => ILOpCode.Bne_un,
        ILOpCode.Bge_un_s => ILOpCode.Bge_un, ILOpCode.Bgt_un_s => ILOpCode.Bgt_un, ILOpCode.Ble_un_s => ILOpCode.Ble_un,
        ILOpCode.Blt_un_s => ILOpCode.Blt_un, ILOpCode.Leave_s => ILOpCode.Leave,
        ILOpCode.Ldarg_s => ILOpCode.Ldarg, ILOpCode.Ldarga_s => ILOpCode.Ldarga, ILOpCode.Starg_s => ILOpCode.Starg,
        ILOpCode.Ldloc_s => ILOpCode.Ldloc, ILOpCode.Ldloca_s => ILOpCode.Ldloca, ILOpCode.Stloc_s => ILOpCode.Stloc,
        ILOpCode.Ldc_i4_s => ILOpCode.Ldc_i4,
        _ => op,
    };

    enum OperandKind { None, Int8, UInt8, UInt16, Int32, Int64, Float32, Float64, Token, StringToken, ShortBranch, Branch, Switch }

    static OperandKind OperandSize(ILOpCode op) => op switch
    {
        ILOpCode.Ldarg_s or ILOpCode.Ldarga_s or ILOpCode.Starg_s or ILOpCode.Ldloc_s or ILOpCode.Ldloca_s or ILOpCode.Stloc_s => OperandKind.UInt8,
        ILOpCode.Ldc_i4_s => OperandKind.Int8,
        ILOpCode.Ldarg or ILOpCode.Ldarga or ILOpCode.Starg or ILOpCode.Ldloc or ILOpCode.Ldloca or ILOpCode.Stloc => OperandKind.UInt16,
        ILOpCode.Ldc_i4 => OperandKind.Int32,
        ILOpCode.Ldc_i8 => OperandKind.Int64,
        ILOpCode.Ldc_r4 => OperandKind.Float32,
        ILOpCode.Ldc_r8 => OperandKind.Float64,
        ILOpCode.Ldstr => OperandKind.StringToken,
        ILOpCode.Br_s or ILOpCode.Brfalse_s or ILOpCode.Brtrue_s or ILOpCode.Beq_s or ILOpCode.Bge_s or ILOpCode.Bgt_s
            or ILOpCode.Ble_s or ILOpCode.Blt_s or ILOpCode.Bne_un_s or ILOpCode.Bge_un_s or ILOpCode.Bgt_un_s
            or ILOpCode.Ble_un_s or ILOpCode.Blt_un_s or ILOpCode.Leave_s => OperandKind.ShortBranch,
        ILOpCode.Br or ILOpCode.Brfalse or ILOpCode.Brtrue or ILOpCode.Beq or ILOpCode.Bge or ILOpCode.Bgt or ILOpCode.Ble
            or ILOpCode.Blt or ILOpCode.Bne_un or ILOpCode.Bge_un or ILOpCode.Bgt_un or ILOpCode.Ble_un or ILOpCode.Blt_un
            or ILOpCode.Leave => OperandKind.Branch,
        ILOpCode.Switch => OperandKind.Switch,
        ILOpCode.Jmp or ILOpCode.Call or ILOpCode.Calli or ILOpCode.Callvirt or ILOpCode.Cpobj or ILOpCode.Ldobj
            or ILOpCode.Newobj or ILOpCode.Castclass or ILOpCode.Isinst or ILOpCode.Unbox or ILOpCode.Ldfld or ILOpCode.Ldflda
            or ILOpCode.Stfld or ILOpCode.Ldsfld or ILOpCode.Ldsflda or ILOpCode.Stsfld or ILOpCode.Stobj or ILOpCode.Box
            or ILOpCode.Newarr or ILOpCode.Ldelema or ILOpCode.Ldelem or ILOpCode.Stelem or ILOpCode.Unbox_any
            or ILOpCode.Refanyval or ILOpCode.Mkrefany or ILOpCode.Ldtoken or ILOpCode.Ldftn or ILOpCode.Ldvirtftn
            or ILOpCode.Initobj or ILOpCode.Sizeof or ILOpCode.Constrained => OperandKind.Token,
        _ => OperandKind.None,
    };
}
