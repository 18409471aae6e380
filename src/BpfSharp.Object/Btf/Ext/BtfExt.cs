using System.Buffers.Binary;
using BpfSharp.Objects;

namespace BpfSharp.Btf.Ext;

/// <summary>
/// The <c>.BTF.ext</c> section of an object: function info, line info and CO-RE relocation records, grouped by the
/// ELF section they describe. Offsets are in bytes, as clang writes them; strings are resolved against <c>.BTF</c>.
/// </summary>
public sealed class BtfExt
{
    const ushort Magic = 0xEB9F;
    const int MinimumHeaderSize = 24; // up to line_info_len
    const int HeaderSizeWithCore = 32; // with core_relo_off and core_relo_len

    /// <summary>The smallest record sizes the format allows; larger records carry fields this reader does not know and skips.</summary>
    public const int FuncInfoSize = 8, LineInfoSize = 16, CoreRelocationSize = 16;

    public IReadOnlyList<BtfExtSection<BtfFuncInfo>> FuncInfo { get; init; } = [];
    public IReadOnlyList<BtfExtSection<BtfLineInfo>> LineInfo { get; init; } = [];
    public IReadOnlyList<BtfExtSection<BtfCoreRelocation>> CoreRelocations { get; init; } = [];

    /// <summary>Parses <paramref name="ext"/>, resolving names against <paramref name="strings"/> (the <c>.BTF</c> string section).</summary>
    /// <exception cref="BtfFormatException">The data is malformed; the message names the byte offset in <c>.BTF.ext</c>.</exception>
    public static BtfExt Parse(ReadOnlySpan<byte> ext, BtfStringSection strings)
    {
        if (ext.Length < 8)
            throw new BtfFormatException($".BTF.ext is {ext.Length} bytes, shorter than its header.");
        ushort magic = BinaryPrimitives.ReadUInt16LittleEndian(ext);
        if (magic != Magic)
            throw new BtfFormatException(magic == 0x9FEB
                ? ".BTF.ext is big-endian; only little-endian objects are supported (compile with -target bpf)."
                : $".BTF.ext magic is 0x{magic:x4}, expected 0x{Magic:x4}.");
        if (ext[2] != 1)
            throw new BtfFormatException($".BTF.ext version is {ext[2]}, expected 1.");
        uint headerLength = BinaryPrimitives.ReadUInt32LittleEndian(ext[4..]);
        if (headerLength < MinimumHeaderSize || headerLength > ext.Length)
            throw new BtfFormatException(
                $".BTF.ext header length {headerLength} is outside [{MinimumHeaderSize}, {ext.Length}] (the section is {ext.Length} bytes).");
        ReadOnlySpan<byte> body = ext[(int)headerLength..];
        return new BtfExt
        {
            FuncInfo = ParseKind(body, ext, 8, "func_info", FuncInfoSize, headerLength, (r, at) =>
                new BtfFuncInfo(U32(r, 0), U32(r, 4))),
            LineInfo = ParseKind(body, ext, 16, "line_info", LineInfoSize, headerLength, (r, at) =>
            {
                uint file = U32(r, 4), line = U32(r, 8), lineCol = U32(r, 12);
                return new BtfLineInfo(U32(r, 0), strings.Get(file, $".BTF.ext line_info record at byte {at} (file name)"),
                    strings.Get(line, $".BTF.ext line_info record at byte {at} (line text)"), lineCol >> 10, lineCol & 0x3ff)
                {
                    FileNameOffset = file,
                    LineTextOffset = line,
                };
            }),
            CoreRelocations = headerLength < HeaderSizeWithCore ? [] : ParseKind(body, ext, 24, "core_relo", CoreRelocationSize, headerLength, (r, at) =>
            {
                uint access = U32(r, 8);
                return new BtfCoreRelocation(U32(r, 0), U32(r, 4), strings.Get(access, $".BTF.ext core_relo record at byte {at} (access string)"), (CoreRelocationKind)U32(r, 12))
                {
                    AccessStringOffset = access,
                };
            }),
        };

        BtfExtSection<T>[] ParseKind<T>(ReadOnlySpan<byte> body, ReadOnlySpan<byte> whole, int headerField, string what, int minimumRecordSize,
            uint bodyStart, RecordReader<T> read)
        {
            uint offset = BinaryPrimitives.ReadUInt32LittleEndian(whole[headerField..]);
            uint length = BinaryPrimitives.ReadUInt32LittleEndian(whole[(headerField + 4)..]);
            if (length == 0) return [];
            if ((offset & 3) != 0)
                throw new BtfFormatException($".BTF.ext {what}: offset {offset} is not 4-byte aligned.");
            if ((ulong)offset + length > (ulong)body.Length)
                throw new BtfFormatException(
                    $".BTF.ext {what}: [{offset}, {offset + (ulong)length}) runs past the end of the section ({body.Length} bytes after the {bodyStart}-byte header).");
            ReadOnlySpan<byte> info = body.Slice((int)offset, (int)length);
            long position = bodyStart + offset; // for messages: byte offset in .BTF.ext
            if (info.Length < 4)
                throw new BtfFormatException($".BTF.ext {what} at byte {position}: the record size is missing.");
            uint recordSize = U32(info, 0);
            if (recordSize < minimumRecordSize || (recordSize & 3) != 0)
                throw new BtfFormatException(
                    $".BTF.ext {what} at byte {position}: record size {recordSize} is {(recordSize < minimumRecordSize ? $"smaller than the format's {minimumRecordSize}" : "not a multiple of 4")}; the object is corrupt, recompile it.");
            info = info[4..];
            if (info.IsEmpty)
                throw new BtfFormatException($".BTF.ext {what} at byte {position}: a record size but no records.");
            var sections = new List<BtfExtSection<T>>();
            int at = 0;
            while (at < info.Length)
            {
                long sectionAt = position + 4 + at;
                if (info.Length - at < 8)
                    throw new BtfFormatException($".BTF.ext {what} at byte {sectionAt}: a section header needs 8 bytes, {info.Length - at} are left.");
                string sectionName = strings.Get(U32(info, at), $".BTF.ext {what} section at byte {sectionAt}");
                uint count = U32(info, at + 4);
                if (count == 0)
                    throw new BtfFormatException($".BTF.ext {what} section '{sectionName}' at byte {sectionAt}: it has no records.");
                at += 8;
                if ((ulong)count * recordSize > (ulong)(info.Length - at))
                    throw new BtfFormatException(
                        $".BTF.ext {what} section '{sectionName}' at byte {sectionAt}: {count} records of {recordSize} bytes run past the end of {what} ({info.Length - at} bytes left).");
                var records = new T[count];
                for (int i = 0; i < records.Length; i++, at += (int)recordSize)
                    records[i] = read(info.Slice(at, (int)recordSize), position + 4 + at);
                sections.Add(new BtfExtSection<T>(sectionName, records));
            }
            return [.. sections];
        }
    }

    delegate T RecordReader<T>(ReadOnlySpan<byte> record, long byteOffset);

    /// <summary>
    /// Writes the section with the format's record sizes; <paramref name="stringOffset"/> gives the offset of a
    /// string (section name, file name, line text, access string) in the <c>.BTF</c> string section being written.
    /// </summary>
    public byte[] Encode(Func<string, uint> stringOffset)
    {
        int funcLength = KindLength(FuncInfo, FuncInfoSize);
        int lineLength = KindLength(LineInfo, LineInfoSize);
        int coreLength = KindLength(CoreRelocations, CoreRelocationSize);
        var bytes = new byte[HeaderSizeWithCore + funcLength + lineLength + coreLength];
        Span<byte> s = bytes;
        BinaryPrimitives.WriteUInt16LittleEndian(s, Magic);
        s[2] = 1; // version
        BinaryPrimitives.WriteUInt32LittleEndian(s[4..], HeaderSizeWithCore);
        BinaryPrimitives.WriteUInt32LittleEndian(s[8..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(s[12..], (uint)funcLength);
        BinaryPrimitives.WriteUInt32LittleEndian(s[16..], (uint)funcLength);
        BinaryPrimitives.WriteUInt32LittleEndian(s[20..], (uint)lineLength);
        BinaryPrimitives.WriteUInt32LittleEndian(s[24..], (uint)(funcLength + lineLength));
        BinaryPrimitives.WriteUInt32LittleEndian(s[28..], (uint)coreLength);
        int at = HeaderSizeWithCore;
        at = WriteKind(s, at, FuncInfo, FuncInfoSize, stringOffset, (r, f) =>
        {
            BinaryPrimitives.WriteUInt32LittleEndian(r, f.Offset);
            BinaryPrimitives.WriteUInt32LittleEndian(r[4..], f.TypeId);
        });
        at = WriteKind(s, at, LineInfo, LineInfoSize, stringOffset, (r, l) =>
        {
            if (l.Line > BtfLineInfo.MaxLine || l.Column > BtfLineInfo.MaxColumn)
                throw new ArgumentException($"line {l.Line}, column {l.Column} of '{l.FileName}' do not fit in line_info's 22-bit line and 10-bit column.");
            BinaryPrimitives.WriteUInt32LittleEndian(r, l.Offset);
            BinaryPrimitives.WriteUInt32LittleEndian(r[4..], stringOffset(l.FileName));
            BinaryPrimitives.WriteUInt32LittleEndian(r[8..], stringOffset(l.LineText));
            BinaryPrimitives.WriteUInt32LittleEndian(r[12..], (l.Line << 10) | l.Column);
        });
        WriteKind(s, at, CoreRelocations, CoreRelocationSize, stringOffset, (r, c) =>
        {
            BinaryPrimitives.WriteUInt32LittleEndian(r, c.Offset);
            BinaryPrimitives.WriteUInt32LittleEndian(r[4..], c.TypeId);
            BinaryPrimitives.WriteUInt32LittleEndian(r[8..], stringOffset(c.AccessString));
            BinaryPrimitives.WriteUInt32LittleEndian(r[12..], (uint)c.Kind);
        });
        return bytes;
    }

    delegate void RecordWriter<T>(Span<byte> record, T value);

    static int KindLength<T>(IReadOnlyList<BtfExtSection<T>> sections, int recordSize)
    {
        if (sections.Count == 0) return 0;
        int length = 4;
        foreach (BtfExtSection<T> section in sections)
            length += 8 + section.Records.Count * recordSize;
        return length;
    }

    static int WriteKind<T>(Span<byte> s, int at, IReadOnlyList<BtfExtSection<T>> sections, int recordSize, Func<string, uint> stringOffset, RecordWriter<T> write)
    {
        if (sections.Count == 0) return at;
        BinaryPrimitives.WriteUInt32LittleEndian(s[at..], (uint)recordSize);
        at += 4;
        foreach (BtfExtSection<T> section in sections)
        {
            if (section.Records.Count == 0)
                throw new ArgumentException($"section '{section.SectionName}' has no records; .BTF.ext does not allow empty groups.");
            BinaryPrimitives.WriteUInt32LittleEndian(s[at..], stringOffset(section.SectionName));
            BinaryPrimitives.WriteUInt32LittleEndian(s[(at + 4)..], (uint)section.Records.Count);
            at += 8;
            foreach (T record in section.Records)
            {
                write(s.Slice(at, recordSize), record);
                at += recordSize;
            }
        }
        return at;
    }

    static uint U32(ReadOnlySpan<byte> s, int at) => BinaryPrimitives.ReadUInt32LittleEndian(s[at..]);
}
