using BpfSharp.Asm;
using BpfSharp.Btf.Ext;

namespace BpfSharp.Compiler.Emit;

/// <summary>
/// <c>.BTF.ext</c> records of one code section: a func_info at each function's first instruction and a line_info
/// wherever the C# file, line or column changes (always one at a function's start, which the kernel requires).
/// </summary>
internal static class LineInfoWriter
{
    public static (BtfExtSection<BtfFuncInfo> Funcs, BtfExtSection<BtfLineInfo>? Lines) Write(
        CodeSection section, IReadOnlyDictionary<string, uint> funcIds, bool withLines)
    {
        var funcs = new List<BtfFuncInfo>();
        var lines = new List<BtfLineInfo>();
        foreach (PlacedFunction f in section.Functions)
        {
            funcs.Add(new BtfFuncInfo((uint)(f.StartSlot * Instruction.SlotSize), funcIds[f.Name]));
            if (!withLines) continue;
            SourceLocation? previous = null;
            Instruction[] code = f.Compiled.Instructions;
            for (int i = 0; i < code.Length; i++)
            {
                SourceLocation? source = code[i].Source ?? (i == 0 ? f.Function.Source ?? FirstSource(code) ?? Unknown(f) : null);
                if (source is null || (previous is not null && Same(source, previous))) continue;
                previous = source;
                lines.Add(new BtfLineInfo((uint)((f.StartSlot + f.SlotOfIndex[i]) * Instruction.SlotSize), source.File,
                    source.LineText ?? "", (uint)Math.Clamp(source.Line, 0, (int)BtfLineInfo.MaxLine),
                    (uint)Math.Clamp(source.Column, 0, (int)BtfLineInfo.MaxColumn)));
            }
        }
        return (new BtfExtSection<BtfFuncInfo>(section.Name, funcs), lines.Count == 0 ? null : new BtfExtSection<BtfLineInfo>(section.Name, lines));
    }

    static bool Same(SourceLocation a, SourceLocation b) => a.Line == b.Line && a.Column == b.Column && a.File == b.File;

    static SourceLocation? FirstSource(Instruction[] code) => code.Select(i => i.Source).FirstOrDefault(s => s is not null);

    static SourceLocation Unknown(PlacedFunction f) => new("<unknown>", 0, 0, f.Name);
}
