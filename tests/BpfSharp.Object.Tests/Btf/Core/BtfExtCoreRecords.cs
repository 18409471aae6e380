using System.Buffers.Binary;
using System.Text;
using BpfSharp.Objects;

namespace BpfSharp.Object.Tests.Btf.Core;

/// <summary>
/// Just enough of <c>.BTF.ext</c> for the differential tests: the CO-RE relocation records of each section, with
/// access strings and section names looked up in the <c>.BTF</c> string table. (The real reader lives with the ELF reader.)
/// </summary>
static class BtfExtCoreRecords
{
    public static Dictionary<string, List<CoreRelocationRecord>> Read(byte[] btf, byte[] btfExt)
    {
        uint btfHeader = U32(btf, 4);
        int stringsStart = checked((int)(btfHeader + U32(btf, 16)));
        int stringsLength = (int)U32(btf, 20);
        string Str(uint offset)
        {
            int start = stringsStart + (int)offset;
            int end = Array.IndexOf(btf, (byte)0, start, stringsLength - (int)offset);
            return Encoding.UTF8.GetString(btf, start, end - start);
        }

        var result = new Dictionary<string, List<CoreRelocationRecord>>(StringComparer.Ordinal);
        uint headerLength = U32(btfExt, 4);
        if (headerLength < 32) return result; // no CO-RE part
        int pos = (int)(headerLength + U32(btfExt, 24));
        int end = pos + (int)U32(btfExt, 28);
        int recordSize = (int)U32(btfExt, pos);
        pos += 4;
        while (pos < end)
        {
            string section = Str(U32(btfExt, pos));
            uint count = U32(btfExt, pos + 4);
            pos += 8;
            var records = new List<CoreRelocationRecord>();
            for (int i = 0; i < count; i++, pos += recordSize)
                records.Add(new CoreRelocationRecord((int)(U32(btfExt, pos) / 8), U32(btfExt, pos + 4), Str(U32(btfExt, pos + 8)), (CoreRelocationKind)U32(btfExt, pos + 12)));
            result[section] = records;
        }
        return result;
    }

    static uint U32(byte[] b, int at) => BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(at));
}
