using System.Buffers.Binary;
using BpfSharp.Btf;
using BpfSharp.Interop;

namespace BpfSharp.Objects;

/// <summary>
/// The object's BTF as the kernel gets it: sanitized for what the running kernel supports, re-encoded with the
/// strings line_info needs, loaded; plus the func_info and line_info records of each program against it.
/// </summary>
sealed class ObjectBtf
{
    const int FuncInfoSize = 8, LineInfoSize = 16;

    readonly Dictionary<string, uint> stringOffsets;

    ObjectBtf(BtfHandle handle, Dictionary<string, uint> stringOffsets)
    {
        Handle = handle;
        this.stringOffsets = stringOffsets;
    }

    public BtfHandle Handle { get; }

    /// <summary>
    /// Loads the object's BTF. The blob the reader fixed up goes to the kernel as it is, like libbpf's, when the
    /// kernel supports every kind in it and every line_info string already has its offset there; otherwise the
    /// types are re-encoded (with what the kernel lacks replaced, as libbpf sanitizes) and the strings added.
    /// </summary>
    public static ObjectBtf? Prepare(ObjectSpec spec, IEnumerable<ProgramDefinition> programs, ISyscalls syscalls)
    {
        if (spec.Btf is null) return null;
        var offsets = new Dictionary<string, uint>(StringComparer.Ordinal);
        List<LineInfoRecord> lines = [.. programs.SelectMany(p => p.LineInfo)];
        BtfKernelSupport support = Features.BtfFeatureProbe.Supported(syscalls);
        bool sanitize = BtfSanitizer.NeedsSanitizing(spec.Btf, support);
        if (!sanitize && !spec.RawBtf.IsEmpty && lines.All(l => l.FileNameOffset != 0))
        {
            foreach (LineInfoRecord line in lines)
            {
                offsets[line.FileName] = line.FileNameOffset;
                offsets[line.LineText] = line.LineTextOffset;
            }
            return new ObjectBtf(BtfHandle.Load(spec.RawBtf.Span, syscalls), offsets);
        }
        BtfBuilder builder = sanitize ? BtfSanitizer.SanitizeToBuilder(spec.Btf, support) : BtfBuilder.From(spec.Btf);
        foreach (LineInfoRecord line in lines)
        {
            if (!offsets.ContainsKey(line.FileName)) offsets[line.FileName] = builder.AddString(line.FileName);
            if (!offsets.ContainsKey(line.LineText)) offsets[line.LineText] = builder.AddString(line.LineText);
        }
        return new ObjectBtf(BtfHandle.Load(builder.Build(), syscalls), offsets);
    }

    public ReadOnlyMemory<byte> FuncInfo(ProgramDefinition program)
    {
        if (program.FuncInfo.Count == 0) return default;
        byte[] records = new byte[program.FuncInfo.Count * FuncInfoSize];
        for (int i = 0; i < program.FuncInfo.Count; i++)
        {
            Span<byte> r = records.AsSpan(i * FuncInfoSize);
            BinaryPrimitives.WriteUInt32LittleEndian(r, (uint)program.FuncInfo[i].Slot);
            BinaryPrimitives.WriteUInt32LittleEndian(r[4..], program.FuncInfo[i].TypeId);
        }
        return records;
    }

    public ReadOnlyMemory<byte> LineInfo(ProgramDefinition program)
    {
        if (program.LineInfo.Count == 0) return default;
        byte[] records = new byte[program.LineInfo.Count * LineInfoSize];
        for (int i = 0; i < program.LineInfo.Count; i++)
        {
            LineInfoRecord line = program.LineInfo[i];
            Span<byte> r = records.AsSpan(i * LineInfoSize);
            BinaryPrimitives.WriteUInt32LittleEndian(r, (uint)line.Slot);
            BinaryPrimitives.WriteUInt32LittleEndian(r[4..], stringOffsets[line.FileName]);
            BinaryPrimitives.WriteUInt32LittleEndian(r[8..], stringOffsets[line.LineText]);
            // line_col: line number in the upper 22 bits, column in the lower 10
            BinaryPrimitives.WriteUInt32LittleEndian(r[12..], ((uint)line.Line << 10) | ((uint)line.Column & 0x3ff));
        }
        return records;
    }
}
