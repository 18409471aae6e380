using System.Text;
using BpfSharp.Asm;
using BpfSharp.Btf;
using BpfSharp.Btf.Ext;
using BpfSharp.Compiler.Backend;
using BpfSharp.Compiler.Diagnostics;
using BpfSharp.Compiler.IR;
using BpfSharp.Compiler.Types;
using BpfSharp.Elf;

namespace BpfSharp.Compiler.Emit;

/// <summary>
/// The compiler's last stage: an <see cref="IrModule"/> and its compiled functions become a relocatable EM_BPF ELF
/// object as clang would write it — programs in their sections, subprograms in <c>.text</c>, BTF-defined maps in
/// <c>.maps</c>, globals in <c>.rodata</c>/<c>.data</c>/<c>.bss</c>, <c>license</c>, complete <c>.BTF</c> and
/// <c>.BTF.ext</c> (func_info, line_info with the C# lines) — loadable by BpfSharp's loader, libbpf and the kernel.
/// </summary>
public static class ObjectEmitter
{
    /// <summary>
    /// Writes the object. Map key/value and global types are checked first (<see cref="MapTypeChecker"/>); every
    /// problem is reported to <paramref name="diagnostics"/>, and the result is null when any of them is an error.
    /// </summary>
    public static byte[]? Emit(IrModule module, IReadOnlyList<CompiledFunction> functions, DiagnosticBag diagnostics)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(functions);
        ArgumentNullException.ThrowIfNull(diagnostics);
        var emission = new Emission(module, functions, diagnostics);
        try
        {
            return emission.Run();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or BpfAsmException or OverflowException)
        {
            emission.Report(DiagnosticCatalog.InternalError, null, module.Name, "writing the object failed: " + e.Message);
            return null;
        }
    }

    sealed class Emission(IrModule module, IReadOnlyList<CompiledFunction> functions, DiagnosticBag diagnostics)
    {
        bool failed;

        public void Report(DiagnosticDescriptor descriptor, SourceLocation? location, params object?[] args)
        {
            failed |= descriptor.Severity == DiagnosticSeverity.Error;
            diagnostics.Add(descriptor, location, args);
        }

        public byte[]? Run()
        {
            foreach (MapDeclaration map in module.Maps)
                if (!MapTypeChecker.CheckMap(map, diagnostics)) failed = true;
            foreach (GlobalVariable global in module.Globals)
                if (!MapTypeChecker.CheckGlobal(global, diagnostics)) failed = true;
            CheckNames();
            if (failed) return null;

            var data = new Dictionary<GlobalSection, DataSection>();
            foreach (GlobalVariable g in module.Globals)
            {
                if (g.Section == GlobalSection.Bss && g.InitialValue.Any(b => b != 0))
                    Report(DiagnosticCatalog.InternalError, g.Source, g.Name, "a .bss variable has a non-zero initial value");
                if (!data.TryGetValue(g.Section, out DataSection? section)) data[g.Section] = section = new DataSection(g.Section);
                section.Add(g, CIdentifier.From(g.Name));
            }

            CodeLayout code = CodeLayout.Build(functions,
                module.Maps.Select(m => m.Name).ToHashSet(StringComparer.Ordinal),
                module.Globals.Select(g => g.Name).ToHashSet(StringComparer.Ordinal),
                module.Kfuncs.Keys.ToHashSet(StringComparer.Ordinal),
                (d, l, a) => Report(d, l, a));
            if (failed) return null;

            var dataSections = new[] { GlobalSection.ReadOnly, GlobalSection.Data, GlobalSection.Bss }
                .Where(data.ContainsKey).Select(k => data[k]).Where(s => s.Size > 0).ToList();
            (byte[] btf, byte[] ext, List<(MapDeclaration Map, int Offset, int Size)> maps) = WriteBtf(code, dataSections);
            return WriteElf(code, dataSections, maps, btf, ext);
        }

        /// <summary>Maps, globals and functions share the ELF symbol table and BTF's VAR/FUNC names: no two may be equal as C identifiers.</summary>
        void CheckNames()
        {
            var owners = new Dictionary<string, string>(StringComparer.Ordinal);
            void Claim(string name, string what, SourceLocation? location)
            {
                string symbol = CIdentifier.From(name);
                if (owners.TryGetValue(symbol, out string? other))
                    Report(DiagnosticCatalog.DuplicateSymbol, location, symbol, module.Name, $"{other} and {what}");
                else owners[symbol] = what;
            }
            foreach (MapDeclaration m in module.Maps) Claim(m.Name, $"map '{m.Name}'", m.Source);
            foreach (GlobalVariable g in module.Globals) Claim(g.Name, $"global '{g.Name}'", g.Source);
            foreach (CompiledFunction f in functions) Claim(f.Function.Name, $"function '{f.Function.Name}'", f.Function.Source);
            foreach (string k in module.Kfuncs.Keys) Claim(k, $"kfunc '{k}'", null);
            foreach (CompiledFunction f in functions.Where(f => f.Instructions.Length == 0))
                Report(DiagnosticCatalog.InternalError, f.Function.Source, f.Function.Name, "the function has no instructions");
        }

        (byte[] Btf, byte[] Ext, List<(MapDeclaration, int, int)> Maps) WriteBtf(CodeLayout code, List<DataSection> dataSections)
        {
            var roots = new List<TypeModel>();
            void Map(MapDeclaration m)
            {
                if (m.Key is { } k) roots.Add(k);
                if (m.Value is { } v) roots.Add(v);
                if (m.Inner is { } i) Map(i);
            }
            foreach (MapDeclaration m in module.Maps) Map(m);
            roots.AddRange(module.Globals.Select(g => g.Type));
            foreach (FunctionSignature s in functions.Select(f => f.Function.Signature).OfType<FunctionSignature>().Concat(module.Kfuncs.Values))
            {
                roots.AddRange(s.Parameters.Select(p => p.Type));
                if (s.ReturnType is { } r) roots.Add(r);
            }

            var builder = new BtfBuilder();
            var types = new BtfTypeWriter(builder, new BtfTypeNames(roots));

            // .maps: one VAR per map, each a definition struct, laid out back to back.
            var mapWriter = new MapDefinitionWriter(types);
            var maps = new List<(MapDeclaration, int, int)>();
            var mapVars = new List<BtfSectionVariable>();
            int mapsSize = 0;
            foreach (MapDeclaration m in module.Maps)
            {
                uint def = mapWriter.Write(m);
                int size = (int)builder[def].Size;
                uint var = builder.AddVar(CIdentifier.From(m.Name), def, BtfLinkage.Global);
                mapVars.Add(new BtfSectionVariable(var, (uint)mapsSize, (uint)size));
                maps.Add((m, mapsSize, size));
                mapsSize += size;
            }

            // Globals: global VARs (user space finds them by name; libbpf makes the maps mmapable) in their DATASECs.
            var sections = new List<(string, uint, BtfSectionVariable[])>();
            foreach (DataSection section in dataSections)
            {
                var vars = section.Variables
                    .Select(v => new BtfSectionVariable(builder.AddVar(v.SymbolName, types.TypeId(v.Global.Type), BtfLinkage.Global), (uint)v.Offset, (uint)v.Size))
                    .ToArray();
                sections.Add((section.Name, (uint)section.Size, vars));
            }

            // Functions: programs global, subprograms static; kfuncs extern, listed in .ksyms.
            var funcIds = new Dictionary<string, uint>(StringComparer.Ordinal);
            foreach (CodeSection section in code.Sections)
                foreach (PlacedFunction f in section.Functions)
                    funcIds[f.Name] = FunctionBtf.Write(types, f.Function, section.IsText ? BtfLinkage.Static : BtfLinkage.Global);
            var ksyms = code.UsedKfuncs.Order(StringComparer.Ordinal)
                .Select(k => new BtfSectionVariable(FunctionBtf.WriteKfunc(types, k, module.Kfuncs[k]), 0, 0))
                .ToArray();

            if (mapVars.Count > 0) builder.AddDataSection(".maps", (uint)mapsSize, [.. mapVars]);
            foreach ((string name, uint size, BtfSectionVariable[] vars) in sections) builder.AddDataSection(name, size, vars);
            if (ksyms.Length > 0) builder.AddDataSection(".ksyms", 0, ksyms);

            bool withLines = functions.Any(f => f.Function.Source is not null || f.Instructions.Any(i => i.Source is not null));
            var funcInfo = new List<BtfExtSection<BtfFuncInfo>>();
            var lineInfo = new List<BtfExtSection<BtfLineInfo>>();
            foreach (CodeSection section in code.Sections)
            {
                (var f, var l) = LineInfoWriter.Write(section, funcIds, withLines);
                funcInfo.Add(f);
                if (l is not null) lineInfo.Add(l);
            }
            byte[] ext = new BtfExt { FuncInfo = funcInfo, LineInfo = lineInfo }.Encode(builder.AddString);
            return (builder.Build(), ext, maps);
        }

        byte[] WriteElf(CodeLayout code, List<DataSection> dataSections, List<(MapDeclaration Map, int Offset, int Size)> maps, byte[] btf, byte[] ext)
        {
            var elf = new ElfWriter();
            var sectionIds = new Dictionary<CodeSection, ElfSectionId>();
            foreach (CodeSection section in code.Sections)
                sectionIds[section] = elf.AddSection(section.Name, section.Bytes, ElfSectionFlags.Alloc | ElfSectionFlags.ExecInstr);
            var dataIds = new Dictionary<DataSection, ElfSectionId>();
            foreach (DataSection section in dataSections)
                dataIds[section] = section.Kind switch
                {
                    GlobalSection.Bss => elf.AddNoBitsSection(section.Name, (ulong)section.Size),
                    GlobalSection.ReadOnly => elf.AddSection(section.Name, section.Bytes(), ElfSectionFlags.Alloc),
                    _ => elf.AddSection(section.Name, section.Bytes(), ElfSectionFlags.Alloc | ElfSectionFlags.Write),
                };
            int mapsSize = maps.Sum(m => m.Size);
            ElfSectionId? mapsId = maps.Count > 0 ? elf.AddSection(".maps", new byte[mapsSize], ElfSectionFlags.Alloc | ElfSectionFlags.Write) : null;
            elf.AddSection("license", Encoding.UTF8.GetBytes(module.License + "\0"), ElfSectionFlags.Alloc | ElfSectionFlags.Write, alignment: 1);
            elf.AddSection(".BTF", btf, ElfSectionFlags.None, alignment: 4);
            elf.AddSection(".BTF.ext", ext, ElfSectionFlags.None, alignment: 4);

            // Symbols: section symbols for code (relocations into .text use it), functions, maps, globals, kfuncs.
            var symbols = new Dictionary<(RelocationTargetKind, string), ElfSymbolId>();
            foreach (CodeSection section in code.Sections)
            {
                ElfSymbolId id = elf.AddSymbol(section.Name, ElfSymbolType.Section, ElfSymbolBinding.Local, sectionIds[section]);
                if (section.IsText) symbols[(RelocationTargetKind.TextSection, ".text")] = id;
            }
            foreach (CodeSection section in code.Sections)
                foreach (PlacedFunction f in section.Functions)
                    elf.AddSymbol(CIdentifier.From(f.Name), ElfSymbolType.Func, section.IsText ? ElfSymbolBinding.Local : ElfSymbolBinding.Global,
                        sectionIds[section], (ulong)(f.StartSlot * Instruction.SlotSize), (ulong)(f.SlotCount * Instruction.SlotSize));
            foreach ((MapDeclaration map, int offset, int size) in maps)
                symbols[(RelocationTargetKind.Map, map.Name)] = elf.AddSymbol(CIdentifier.From(map.Name), ElfSymbolType.Object,
                    ElfSymbolBinding.Global, mapsId!.Value, (ulong)offset, (ulong)size);
            foreach (DataSection section in dataSections)
                foreach (PlacedGlobal v in section.Variables)
                    symbols[(RelocationTargetKind.Global, v.Global.Name)] = elf.AddSymbol(v.SymbolName, ElfSymbolType.Object,
                        ElfSymbolBinding.Global, dataIds[section], (ulong)v.Offset, (ulong)v.Size);
            foreach (string kfunc in code.UsedKfuncs.Order(StringComparer.Ordinal))
                symbols[(RelocationTargetKind.Kfunc, kfunc)] = elf.AddSymbol(kfunc, ElfSymbolType.NoType, ElfSymbolBinding.Global, ElfSectionId.Undefined);

            foreach (CodeSection section in code.Sections)
                foreach (CodeRelocation r in section.Relocations)
                    elf.AddRelocation(sectionIds[section], (ulong)r.ByteOffset, symbols[(r.Kind, r.Name)], r.Type);
            return elf.ToArray();
        }
    }
}
