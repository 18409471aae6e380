using BpfSharp.Abi;
using BpfSharp.Asm;
using BpfSharp.Btf;
using BpfSharp.Elf;

namespace BpfSharp.Objects;

internal sealed partial class ObjectParser
{
    /// <summary>Where a map's definition lies, so relocations against that place find it.</summary>
    internal sealed record MapLocation(int Section, ulong Offset, ulong Size, string Name);

    const int LegacyDefinitionSize = 20; // struct bpf_map_def: type, key_size, value_size, max_entries, map_flags

    readonly List<MapLocation> mapLocations = [];
    readonly Dictionary<int, MapDefinition> dataMapsBySection = [];

    MapLocation? FindMapAt(int section, ulong offset) => mapLocations.FirstOrDefault(m => m.Section == section && m.Offset == offset);

    /// <summary>All maps in libbpf's order: legacy, BTF-defined, global data by section, .kconfig, struct_ops.</summary>
    List<MapDefinition> BuildMaps(List<ExternDefinition> externs)
    {
        var maps = new List<MapDefinition>();
        maps.AddRange(LegacyMaps());
        maps.AddRange(BtfMaps());
        maps.AddRange(DataMaps());
        if (KconfigMap(externs) is { } kconfig) maps.Add(kconfig);
        maps.AddRange(StructOpsMaps());
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (MapDefinition map in maps)
            if (!seen.Add(map.Name))
                throw new ObjectFormatException($"two maps are called '{map.Name}' (one from section '{map.SectionName}'); map names must be unique, rename one.");
        return maps;
    }

    // ---- legacy maps: struct bpf_map_def in SEC("maps") ----

    IEnumerable<MapDefinition> LegacyMaps()
    {
        if (legacyMapsIndex < 0) yield break;
        ElfSection section = sections[legacyMapsIndex];
        byte[] data = Data(section).ToArray();
        var mapSymbols = symbols
            .Where(s => s.SectionIndex == legacyMapsIndex && s.Elf.IsInSection && s.Elf.Type != ElfSymbolType.Section && s.Name.Length > 0)
            .OrderBy(s => s.Value)
            .ToList();
        if (mapSymbols.Count == 0)
        {
            warnings.Add("section 'maps' has no map symbols; nothing to create.");
            yield break;
        }
        ulong fallbackSize = (ulong)data.Length / (ulong)mapSymbols.Count;
        if (mapSymbols.Any(s => s.Elf.Size == 0) && (ulong)data.Length % (ulong)mapSymbols.Count != 0)
            throw new ObjectFormatException(
                $"section 'maps' is {data.Length} bytes for {mapSymbols.Count} maps, so the size of one struct bpf_map_def cannot be told; give every map the same definition struct.");
        foreach (Symbol symbol in mapSymbols)
        {
            ulong size = symbol.Elf.Size != 0 ? symbol.Elf.Size : fallbackSize;
            if (symbol.Value > (ulong)data.Length || size > (ulong)data.Length - symbol.Value)
                throw new ObjectFormatException($"legacy map '{symbol.Name}': its definition [{symbol.Value}, {symbol.Value + size}) runs past the end of section 'maps' ({data.Length} bytes).");
            ReadOnlySpan<byte> def = data.AsSpan((int)symbol.Value, (int)size);
            for (int i = LegacyDefinitionSize; i < def.Length; i++)
                if (def[i] != 0)
                    throw new ObjectFormatException(
                        $"legacy map '{symbol.Name}': byte {i} of its {def.Length}-byte definition is not zero; only struct bpf_map_def's first {LegacyDefinitionSize} bytes (type, key_size, value_size, max_entries, map_flags) are understood.");
            var map = new MapDefinition
            {
                Name = symbol.Name,
                Origin = MapOrigin.Legacy,
                Type = (BpfMapType)LegacyField(def, 0),
                KeySize = LegacyField(def, 1),
                ValueSize = LegacyField(def, 2),
                MaxEntries = LegacyField(def, 3),
                Flags = (MapCreateFlags)LegacyField(def, 4),
                SectionName = section.Name,
            };
            if (map.Type == BpfMapType.Unspec)
                throw new ObjectFormatException($"legacy map '{symbol.Name}': its type is 0 (BPF_MAP_TYPE_UNSPEC); set .type in its struct bpf_map_def.");
            CheckMaxEntries(map, $"legacy map '{symbol.Name}'");
            mapLocations.Add(new MapLocation(legacyMapsIndex, symbol.Value, size, symbol.Name));
            yield return map;
        }
    }

    /// <summary>Field <paramref name="index"/> of a legacy definition; libbpf reads definitions shorter than 20 bytes with the rest zero.</summary>
    static uint LegacyField(ReadOnlySpan<byte> def, int index) =>
        def.Length >= 4 * (index + 1) ? System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(def[(4 * index)..]) : 0;

    // ---- BTF-defined maps in SEC(".maps") ----

    IEnumerable<MapDefinition> BtfMaps()
    {
        if (btfMapsIndex < 0) yield break;
        if (btf is null)
            throw new ObjectFormatException("the object defines maps in '.maps' but has no BTF to describe them; compile with clang -g.");
        BtfType datasec = btf.Find(BtfMapsSection, BtfKind.DataSection)
            ?? throw new ObjectFormatException("the object has a '.maps' section but its BTF has no DATASEC '.maps'; compile with clang -g.");
        ulong sectionSize = sections[btfMapsIndex].Size;
        for (int i = 0; i < datasec.Variables.Count; i++)
        {
            BtfSectionVariable v = datasec.Variables[i];
            BtfType var = btf[v.TypeId];
            string name = var.Name;
            if (name.Length == 0)
                throw new ObjectFormatException($"map #{i} in '.maps' has no name.");
            if ((ulong)v.Offset + v.Size > sectionSize)
                throw new ObjectFormatException($"map '{name}': BTF places it at [{v.Offset}, {(ulong)v.Offset + v.Size}), outside the '.maps' section ({sectionSize} bytes).");
            if (var.Kind != BtfKind.Var)
                throw new ObjectFormatException($"map '{name}': a '.maps' entry must be a VAR, not {var.Kind}.");
            if (var.Linkage != VarGlobal)
                throw new ObjectFormatException(var.Linkage == VarStatic
                    ? $"map '{name}' is static; maps in '.maps' must be global variables: remove 'static'."
                    : $"map '{name}' has linkage {var.Linkage}; maps in '.maps' must be defined here (global, not extern).");
            BtfType def = btf.SkipModifiers(var.TypeId);
            if (def.Kind != BtfKind.Struct)
                throw new ObjectFormatException(def.Kind == BtfKind.Unknown
                    ? $"map '{name}': a '.maps' variable must be a struct of __uint/__type/__array attributes, but it has no type in BTF (clang describes only structs there); declare the map as struct {{ __uint(type, …); … }} {name} SEC(\".maps\")."
                    : $"map '{name}': a '.maps' variable must be a struct of __uint/__type/__array attributes, but it is {Kind(def)}.");
            if (def.Size > v.Size)
                throw new ObjectFormatException($"map '{name}': its definition struct is {def.Size} bytes but its variable only {v.Size}.");
            MapDefinition map = ParseMapDefinition(name, def, isInner: false);
            mapLocations.Add(new MapLocation(btfMapsIndex, v.Offset, v.Size, name));
            yield return map;
        }
    }

    MapDefinition ParseMapDefinition(string name, BtfType def, bool isInner)
    {
        BtfSpec spec = btf!;
        uint type = 0, keySize = 0, valueSize = 0, maxEntries = 0, flags = 0, pinning = 0, keyId = 0, valueId = 0;
        uint? numaNode = null;
        ulong extra = 0;
        MapDefinition? inner = null;
        for (int i = 0; i < def.Members.Count; i++)
        {
            BtfMember m = def.Members[i];
            switch (m.Name)
            {
                case "":
                    throw new ObjectFormatException($"map '{name}': member #{i} of its definition has no name.");
                case "type": type = Int(m); break;
                case "max_entries": maxEntries = Int(m); break;
                case "map_flags": flags = Int(m); break;
                case "numa_node": numaNode = Int(m); break;
                case "key_size": keySize = Size("key", keySize, Int(m)); break;
                case "value_size": valueSize = Size("value", valueSize, Int(m)); break;
                case "key":
                {
                    (keyId, uint size) = TypeOf(m, "key");
                    keySize = Size("key", keySize, size);
                    break;
                }
                case "value":
                {
                    (valueId, uint size) = TypeOf(m, "value");
                    valueSize = Size("value", valueSize, size);
                    break;
                }
                case "values":
                    inner = Values(m, i);
                    valueSize = Size("value", valueSize, 4);
                    break;
                case "pinning":
                    if (isInner)
                        throw new ObjectFormatException($"map '{name}': an inner map definition cannot be pinned; remove __uint(pinning, …) from it.");
                    pinning = Int(m);
                    if (pinning > (uint)MapPinning.ByName)
                        throw new ObjectFormatException($"map '{name}': pinning {pinning} is invalid; use LIBBPF_PIN_NONE (0) or LIBBPF_PIN_BY_NAME (1).");
                    break;
                case "map_extra": extra = Long(m); break;
                default:
                    throw new ObjectFormatException(
                        $"map '{name}': unknown attribute '{m.Name}'; a map definition has type, key, value, key_size, value_size, max_entries, map_flags, numa_node, pinning, map_extra and values.");
            }
        }
        if (type == 0)
            throw new ObjectFormatException($"map '{name}': its type is not specified; add __uint(type, BPF_MAP_TYPE_…).");
        var map = new MapDefinition
        {
            Name = name,
            Origin = MapOrigin.Btf,
            Type = (BpfMapType)type,
            KeySize = keySize,
            ValueSize = valueSize,
            MaxEntries = maxEntries,
            Flags = (MapCreateFlags)flags,
            NumaNode = numaNode,
            MapExtra = extra,
            Pinning = (MapPinning)pinning,
            BtfKeyTypeId = keyId,
            BtfValueTypeId = valueId,
            InnerMap = inner,
            SectionName = BtfMapsSection,
        };
        CheckMaxEntries(map, $"map '{name}'");
        return map;

        uint Int(BtfMember m)
        {
            BtfType pointer = spec.SkipModifiers(m.TypeId);
            if (pointer.Kind != BtfKind.Pointer)
                throw new ObjectFormatException(
                    $"map '{name}': attribute '{m.Name}' must be declared with __uint({m.Name}, N) (a pointer to an array of N), but it is {Kind(pointer)}.");
            BtfType array = spec[pointer.TypeId];
            if (array.Kind != BtfKind.Array)
                throw new ObjectFormatException(
                    $"map '{name}': attribute '{m.Name}' must point to an array whose length is the value (__uint), but it points to {Kind(array)}.");
            return array.ElementCount;
        }

        ulong Long(BtfMember m)
        {
            BtfType t = spec.SkipModifiers(m.TypeId);
            if (t.Kind == BtfKind.Pointer) return Int(m);
            if (t.Kind is not (BtfKind.Enum or BtfKind.Enum64))
                throw new ObjectFormatException($"map '{name}': attribute '{m.Name}' must be __uint(…) or __ulong(…), but it is {Kind(t)}.");
            if (t.EnumValues.Count != 1)
                throw new ObjectFormatException($"map '{name}': attribute '{m.Name}' is an enum with {t.EnumValues.Count} values; __ulong(…) declares exactly one.");
            return (ulong)t.EnumValues[0].Value;
        }

        uint Size(string what, uint current, uint size)
        {
            if (current != 0 && current != size)
                throw new ObjectFormatException($"map '{name}': conflicting {what} sizes {current} and {size}; declare the {what} once (__type or __uint({what}_size)).");
            return size;
        }

        (uint Id, uint Size) TypeOf(BtfMember m, string what)
        {
            BtfType pointer = spec[m.TypeId];
            if (pointer.Kind != BtfKind.Pointer)
                throw new ObjectFormatException(
                    $"map '{name}': attribute '{what}' must be declared with __type({what}, T) (a pointer to T), but it is {Kind(pointer)}.");
            uint target = pointer.TypeId;
            BtfType resolved = spec.SkipModifiers(target);
            if (resolved.Kind == BtfKind.Forward)
                throw new ObjectFormatException(
                    $"map '{name}': the {what} type [{target}] is '{(resolved.KindFlag ? "union" : "struct")} {resolved.Name}', a forward declaration (BTF FWD); the {what} must be a complete type: define {(resolved.KindFlag ? "union" : "struct")} {resolved.Name} (or include its definition) in this file.");
            if (resolved.Kind == BtfKind.Unknown)
                throw new ObjectFormatException($"map '{name}': the {what} type is void; a map {what} needs a sized type (or use __uint({what}_size, N)).");
            long size = SizeOf(target);
            if (size < 0)
                throw new ObjectFormatException($"map '{name}': the size of the {what} type [{target}] ({Kind(resolved)}) cannot be determined; a map {what} must be a sized data type.");
            if (size == 0)
                throw new ObjectFormatException($"map '{name}': the {what} type [{target}] ({Kind(resolved)}) has size 0; a map {what} needs at least one byte.");
            return (target, (uint)size);
        }

        MapDefinition? Values(BtfMember m, int index)
        {
            var mapType = (BpfMapType)type;
            bool isMapInMap = mapType is BpfMapType.ArrayOfMaps or BpfMapType.HashOfMaps;
            bool isProgArray = mapType == BpfMapType.ProgArray;
            string what = isMapInMap ? "map-in-map inner map" : "prog-array value";
            if (isInner)
                throw new ObjectFormatException($"map '{name}': an inner map cannot have inner maps itself (multi-level map-in-map is not supported).");
            if (index != def.Members.Count - 1)
                throw new ObjectFormatException($"map '{name}': 'values' must be the last member of the definition.");
            if (!isMapInMap && !isProgArray)
                throw new ObjectFormatException(
                    $"map '{name}': 'values' is only for map-in-map (ARRAY_OF_MAPS, HASH_OF_MAPS) and PROG_ARRAY maps, but the type is {(type == 0 ? "not set yet (declare __uint(type, …) first)" : mapType.ToString())}.");
            BtfType array = spec[m.TypeId];
            if (array.Kind != BtfKind.Array || array.ElementCount != 0)
                throw new ObjectFormatException($"map '{name}': the {what} spec must be a zero-sized array (__array(values, …)), but it is {Kind(array)}.");
            BtfType pointer = spec.SkipModifiers(array.ElementTypeId);
            if (pointer.Kind != BtfKind.Pointer)
                throw new ObjectFormatException($"map '{name}': the {what} spec must be an array of pointers, but its elements are {Kind(pointer)}.");
            BtfType target = spec.SkipModifiers(pointer.TypeId);
            if (isProgArray)
            {
                if (target.Kind != BtfKind.FuncProto)
                    throw new ObjectFormatException($"map '{name}': prog-array values must be function pointers (__array(values, int (void *))), but they point to {Kind(target)}.");
                return null;
            }
            if (target.Kind != BtfKind.Struct)
                throw new ObjectFormatException($"map '{name}': the inner map must be described by a struct of map attributes, but it is {Kind(target)}.");
            return ParseMapDefinition(name + ".inner", target, isInner: true);
        }
    }

    /// <summary>Every map type needs max_entries except those sized by the kernel or the loader.</summary>
    static void CheckMaxEntries(MapDefinition map, string what)
    {
        if (map.MaxEntries != 0) return;
        if (map.Type is BpfMapType.PerfEventArray // the loader uses the number of possible CPUs
            or BpfMapType.SkStorage or BpfMapType.InodeStorage or BpfMapType.TaskStorage or BpfMapType.CgrpStorage
            or BpfMapType.CgroupStorage or BpfMapType.PerCpuCgroupStorage or BpfMapType.StructOps)
            return;
        throw new ObjectFormatException($"{what} ({map.Type}) has no max_entries; add __uint(max_entries, N): this map type needs a capacity.");
    }

    string Kind(BtfType t) => t.Kind switch
    {
        BtfKind.Unknown => "void",
        _ when t.Name.Length > 0 => $"{t.Kind} '{t.Name}' [{t.Id}]",
        _ => $"{t.Kind} [{t.Id}]",
    };

    // ---- global data: .data, .rodata, .bss and their .* variants ----

    IEnumerable<MapDefinition> DataMaps()
    {
        for (int i = 1; i < sections.Length; i++)
        {
            if (kinds[i] is not (SectionKind.Data or SectionKind.ReadOnlyData or SectionKind.Bss) || sections[i].Size == 0) continue;
            ElfSection section = sections[i];
            if (section.Size > uint.MaxValue)
                throw new ObjectFormatException($"section '{section.Name}' is {section.Size} bytes; a global-data map value is at most 4 GiB.");
            BtfType? datasec = btf?.Find(section.Name, BtfKind.DataSection);
            var variables = new List<DataVariable>();
            bool mmapable = false;
            if (datasec is not null)
            {
                foreach (BtfSectionVariable v in datasec.Variables)
                {
                    BtfType var = btf![v.TypeId];
                    variables.Add(new DataVariable(var.Name, v.Offset, v.Size, v.TypeId, var.Linkage != VarStatic));
                    mmapable |= var.Kind == BtfKind.Var && var.Linkage != VarStatic;
                }
            }
            else
            {
                foreach (Symbol s in symbols.Where(s => s.SectionIndex == i && s.Elf.Type == ElfSymbolType.Object && s.Name.Length > 0).OrderBy(s => s.Value))
                    variables.Add(new DataVariable(s.Name, (uint)s.Value, (uint)s.Elf.Size, 0, s.Elf.Binding != ElfSymbolBinding.Local && !s.Elf.IsHiddenGlobal));
            }
            var map = new MapDefinition
            {
                Name = section.Name,
                Origin = MapOrigin.Data,
                Type = BpfMapType.Array,
                KeySize = 4,
                ValueSize = (uint)section.Size,
                MaxEntries = 1,
                Flags = (kinds[i] == SectionKind.ReadOnlyData ? MapCreateFlags.RdonlyProg : 0) | (mmapable ? MapCreateFlags.Mmapable : 0),
                BtfValueTypeId = datasec?.Id ?? 0,
                Contents = kinds[i] == SectionKind.Bss ? ReadOnlyMemory<byte>.Empty : Memory(section),
                Variables = variables,
                SectionName = section.Name,
            };
            dataMapsBySection[i] = map;
            yield return map;
        }
    }

    MapDefinition? KconfigMap(List<ExternDefinition> externs)
    {
        var kconfig = externs.Where(e => e.Kind == ExternKind.Kconfig).ToList();
        if (kconfig.Count == 0) return null;
        BtfType? datasec = btf?.Find(KconfigSection, BtfKind.DataSection);
        return new MapDefinition
        {
            Name = KconfigSection,
            Origin = MapOrigin.Data,
            Type = BpfMapType.Array,
            KeySize = 4,
            ValueSize = kconfig.Max(e => e.Offset + e.Size),
            MaxEntries = 1,
            Flags = MapCreateFlags.RdonlyProg | (datasec is not null ? MapCreateFlags.Mmapable : 0),
            BtfValueTypeId = datasec?.Id ?? 0,
            Variables = [.. kconfig.Select(e => new DataVariable(e.Name, e.Offset, e.Size, e.BtfTypeId, true))],
            SectionName = KconfigSection,
        };
    }

    // ---- struct_ops ----

    IEnumerable<MapDefinition> StructOpsMaps()
    {
        for (int i = 1; i < sections.Length; i++)
        {
            if (kinds[i] != SectionKind.StructOps) continue;
            ElfSection section = sections[i];
            if (btf is null)
                throw new ObjectFormatException($"section '{section.Name}' defines struct_ops maps, which need BTF; compile with clang -g.");
            BtfType datasec = btf.Find(section.Name, BtfKind.DataSection)
                ?? throw new ObjectFormatException($"section '{section.Name}' has no DATASEC in the object's BTF; compile with clang -g.");
            bool isLink = section.Name.TrimStart('?') == ".struct_ops.link";
            foreach (BtfSectionVariable v in datasec.Variables)
            {
                string varName = btf[v.TypeId].Name;
                BtfType type = btf.SkipModifiers(btf[v.TypeId].TypeId);
                if (type.Name.Length == 0)
                    throw new ObjectFormatException($"struct_ops map '{varName}': its type is anonymous; declare it with the kernel's struct (e.g. struct tcp_congestion_ops).");
                if (type.Kind != BtfKind.Struct)
                    throw new ObjectFormatException($"struct_ops map '{varName}': its type {Kind(type)} is not a struct.");
                if ((ulong)v.Offset + type.Size > section.Size)
                    throw new ObjectFormatException($"struct_ops map '{varName}': [{v.Offset}, {(ulong)v.Offset + type.Size}) runs past the end of section '{section.Name}'.");
                mapLocations.Add(new MapLocation(i, v.Offset, type.Size, varName));
                yield return new MapDefinition
                {
                    Name = varName,
                    Origin = MapOrigin.StructOps,
                    Type = BpfMapType.StructOps,
                    KeySize = 4,
                    ValueSize = type.Size,
                    MaxEntries = 1,
                    Flags = isLink ? MapCreateFlags.Link : 0,
                    BtfValueTypeId = type.Id,
                    Contents = Memory(section).Slice((int)v.Offset, (int)type.Size),
                    SectionName = section.Name,
                    AutoCreate = !section.Name.StartsWith('?'),
                };
            }
        }
    }

    // ---- .rel.maps (prog-array and map-in-map slots) and .rel.struct_ops (function pointers) ----

    List<MapDefinition> ApplyMapRelocations(List<MapDefinition> maps, List<ProgramDefinition> programs)
    {
        var slots = new Dictionary<string, List<MapInitialValue>>(StringComparer.Ordinal);
        ElfFile elf = ElfFile.Parse(file);
        foreach (ElfSection relocationSection in sections)
        {
            if (relocationSection.Index == 0 || kinds[relocationSection.Index] != SectionKind.Relocations) continue;
            ElfRelocationTable table = elf.GetRelocations(relocationSection);
            int target = table.TargetSectionIndex;
            if (target == btfMapsIndex)
                for (int r = 0; r < table.Count; r++) MapSlot(table[r], relocationSection.Name);
            else if (kinds[target] == SectionKind.StructOps)
                for (int r = 0; r < table.Count; r++) StructOpsSlot(table[r], target, relocationSection.Name);
        }
        if (slots.Count == 0) return maps;
        return [.. maps.Select(m => slots.TryGetValue(m.Name, out var values) ? m with { InitialValues = [.. values.OrderBy(v => v.Index)] } : m)];

        void MapSlot(ElfRelocation relocation, string relocationSectionName)
        {
            string entry = $"'{relocationSectionName}' relocation {relocation.Index}";
            Symbol symbol = GetSymbol(relocation.SymbolIndex, entry);
            string name = symbol.Name;
            MapLocation location = mapLocations.FirstOrDefault(l => l.Section == btfMapsIndex && l.Offset <= relocation.Offset && relocation.Offset + 8 <= l.Offset + l.Size)
                ?? throw new ObjectFormatException($"{entry}: no map in '.maps' contains offset {relocation.Offset} (it refers to '{name}').");
            MapDefinition map = maps.First(m => m.Name == location.Name && m.Origin == MapOrigin.Btf);
            string at = $"map '{map.Name}' ({entry})";
            bool isMapInMap = map.Type is BpfMapType.ArrayOfMaps or BpfMapType.HashOfMaps;
            if (isMapInMap)
            {
                if (symbol.SectionIndex != btfMapsIndex)
                    throw new ObjectFormatException($"{at}: slot refers to '{name}', which is not a map defined in '.maps'.");
                if (map.Type == BpfMapType.HashOfMaps && map.KeySize != 4)
                    throw new ObjectFormatException($"{at}: a HASH_OF_MAPS with initial values needs 4-byte keys, not {map.KeySize}.");
                if (!maps.Any(m => m.Name == name))
                    throw new ObjectFormatException($"{at}: slot refers to '{name}', which is not a map of this object.");
            }
            else if (map.Type == BpfMapType.ProgArray)
            {
                ProgramDefinition? program = programs.FirstOrDefault(p => p.Name == name)
                    ?? throw new ObjectFormatException($"{at}: slot refers to '{name}', which is not a program of this object (programs are global functions with SEC(\"…\")).");
                Function function = functions.First(f => f.Name == name && !f.IsSubprogram);
                if (function.Section != symbol.SectionIndex || (ulong)function.StartSlot * Instruction.SlotSize != symbol.Value)
                    throw new ObjectFormatException($"{at}: '{name}' is not an entry-point program.");
            }
            else
            {
                throw new ObjectFormatException($"{at}: initial values refer to '{name}', but only PROG_ARRAY and map-in-map maps can have them.");
            }
            BtfType def = btf!.SkipModifiers(btf.Find(BtfMapsSection, BtfKind.DataSection)!.Variables
                .Select(v => btf[v.TypeId]).First(v => v.Name == map.Name).TypeId);
            if (def.Members.Count == 0 || def.Members[^1].Name != "values")
                throw new ObjectFormatException($"{at}: a slot is initialised but the definition's last member is not 'values'.");
            ulong start = def.Members[^1].BitOffset / 8;
            ulong inMap = relocation.Offset - location.Offset;
            if (inMap < start || (inMap - start) % 8 != 0)
                throw new ObjectFormatException($"{at}: offset {inMap} in the definition is not a slot of 'values' (which starts at byte {start}).");
            ulong slot = (inMap - start) / 8;
            if (!slots.TryGetValue(map.Name, out var list)) slots[map.Name] = list = [];
            list.Add(new MapInitialValue((uint)slot, name));
        }

        void StructOpsSlot(ElfRelocation relocation, int section, string relocationSectionName)
        {
            string entry = $"'{relocationSectionName}' relocation {relocation.Index}";
            Symbol symbol = GetSymbol(relocation.SymbolIndex, entry);
            MapLocation location = mapLocations.FirstOrDefault(l => l.Section == section && l.Offset <= relocation.Offset && relocation.Offset < l.Offset + l.Size)
                ?? throw new ObjectFormatException($"{entry}: no struct_ops map contains offset {relocation.Offset}.");
            MapDefinition map = maps.First(m => m.Name == location.Name && m.Origin == MapOrigin.StructOps);
            string at = $"struct_ops map '{map.Name}' ({entry})";
            if (!symbol.Elf.IsInSection)
                throw new ObjectFormatException($"{at}: refers to '{symbol.Name}', which is not a function of this object.");
            if (symbol.Value % Instruction.SlotSize != 0)
                throw new ObjectFormatException($"{at}: '{symbol.Name}' is at byte {symbol.Value}, not an instruction boundary.");
            ulong memberOffset = relocation.Offset - location.Offset;
            BtfType type = btf![map.BtfValueTypeId];
            int memberIndex = -1;
            for (int m = 0; m < type.Members.Count; m++)
                if (type.Members[m].BitOffset == memberOffset * 8) { memberIndex = m; break; }
            if (memberIndex < 0)
                throw new ObjectFormatException($"{at}: no member of struct {type.Name} starts at byte {memberOffset}.");
            BtfMember member = type.Members[memberIndex];
            BtfType pointer = btf.SkipModifiers(member.TypeId);
            if (pointer.Kind != BtfKind.Pointer || btf.SkipModifiers(pointer.TypeId).Kind != BtfKind.FuncProto)
                throw new ObjectFormatException($"{at}: member '{member.Name}' is not a function pointer, so it cannot point to '{symbol.Name}'.");
            Function function = FunctionAt(symbol.SectionIndex, (long)(symbol.Value / Instruction.SlotSize))
                ?? throw new ObjectFormatException($"{at}: member '{member.Name}' points to '{symbol.Name}', which is not a program.");
            ProgramDefinition? program = programs.FirstOrDefault(p => p.Name == function.Name);
            if (program is null || program.Type != BpfProgramType.StructOps)
                throw new ObjectFormatException($"{at}: member '{member.Name}' points to '{function.Name}', which is not a SEC(\"struct_ops/…\") program.");
            if (!slots.TryGetValue(map.Name, out var list)) slots[map.Name] = list = [];
            list.Add(new MapInitialValue((uint)memberIndex, function.Name));
        }
    }
}
