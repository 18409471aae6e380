using System.Runtime.InteropServices;
using BpfSharp.Asm;

namespace BpfSharp.Object.Tests.Objects;

/// <summary>
/// What libbpf 1.1 (the distribution's libbpf.so.1) makes of an object: opened, then "loaded" in gen-loader
/// mode, which runs all of libbpf's relocation and BTF fix-ups without asking the kernel for anything.
/// </summary>
internal static unsafe partial class Libbpf
{
    const string Library = "libbpf.so.1";

    public sealed record Program(string Name, string Section, uint Type, uint ExpectedAttachType, uint Flags, bool Autoload, Instruction[] Instructions);

    public sealed record Map(string Name, uint Type, uint KeySize, uint ValueSize, uint MaxEntries, uint Flags, uint NumaNode, ulong MapExtra,
        uint BtfKeyTypeId, uint BtfValueTypeId, bool IsInternal, Map? Inner, byte[] InitialValue);

    public sealed record View(int OpenError, int LoadError, List<Program> Programs, List<Map> Maps, byte[] Btf);

    [StructLayout(LayoutKind.Sequential)]
    struct GenLoaderOptions
    {
        public nuint Size;
        public nint Data, Insns;
        public uint DataSize, InsnsSize;
    }

    public static View Open(byte[] elf, bool load = true)
    {
        libbpf_set_print(0);
        fixed (byte* buffer = elf)
        {
            nint obj = bpf_object__open_mem(buffer, (nuint)elf.Length, 0);
            long error = libbpf_get_error(obj);
            if (error != 0) return new View((int)error, 0, [], [], []);
            try
            {
                // Maps as opened: loading changes them (PERF_EVENT_ARRAY sized to the CPUs, BTF dropped for some types, inner maps freed).
                var maps = new List<Map>();
                for (nint m = bpf_object__next_map(obj, 0); m != 0; m = bpf_object__next_map(obj, m))
                    maps.Add(ReadMap(m));
                // Gen-loader mode cannot pin; pinning is the loader's business, not what is compared here.
                for (nint m = bpf_object__next_map(obj, 0); m != 0; m = bpf_object__next_map(obj, m))
                    bpf_map__set_pin_path(m, 0);
                int loadError = 0;
                if (load)
                {
                    var options = new GenLoaderOptions { Size = (nuint)sizeof(GenLoaderOptions) };
                    loadError = bpf_object__gen_loader(obj, &options);
                    if (loadError == 0) loadError = bpf_object__load(obj);
                }
                var programs = new List<Program>();
                for (nint p = bpf_object__next_program(obj, 0); p != 0; p = bpf_object__next_program(obj, p))
                {
                    int count = (int)bpf_program__insn_cnt(p);
                    var bytes = new ReadOnlySpan<byte>((void*)bpf_program__insns(p), count * 8);
                    programs.Add(new Program(Str(bpf_program__name(p)), Str(bpf_program__section_name(p)), bpf_program__type(p),
                        bpf_program__expected_attach_type(p), bpf_program__flags(p), bpf_program__autoload(p) != 0, InstructionDecoder.Decode(bytes)));
                }
                byte[] btf = [];
                nint btfHandle = bpf_object__btf(obj);
                if (btfHandle != 0)
                {
                    uint size;
                    nint raw = btf__raw_data(btfHandle, &size);
                    btf = new ReadOnlySpan<byte>((void*)raw, (int)size).ToArray();
                }
                return new View(0, loadError, programs, maps, btf);
            }
            finally
            {
                bpf_object__close(obj);
            }
        }
    }

    static Map ReadMap(nint m)
    {
        nuint size;
        nint initial = bpf_map__initial_value(m, &size);
        nint inner = bpf_map__inner_map(m);
        return new Map(Str(bpf_map__name(m)), bpf_map__type(m), bpf_map__key_size(m), bpf_map__value_size(m), bpf_map__max_entries(m),
            bpf_map__map_flags(m), bpf_map__numa_node(m), bpf_map__map_extra(m), bpf_map__btf_key_type_id(m), bpf_map__btf_value_type_id(m),
            bpf_map__is_internal(m) != 0, inner != 0 ? ReadMap(inner) : null,
            initial != 0 ? new ReadOnlySpan<byte>((void*)initial, (int)size).ToArray() : []);
    }

    /// <summary>libbpf's idea of a section name: (program type, expected attach type), or null when it does not know it.</summary>
    public static (uint Type, uint AttachType)? ProgramTypeByName(string section)
    {
        libbpf_set_print(0);
        uint type, attach;
        return libbpf_prog_type_by_name(section, &type, &attach) == 0 ? (type, attach) : null;
    }

    static string Str(nint p) => Marshal.PtrToStringUTF8(p) ?? "";

    [LibraryImport(Library)] private static partial nint libbpf_set_print(nint fn);
    [LibraryImport(Library)] private static partial long libbpf_get_error(nint ptr);
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)] private static partial int libbpf_prog_type_by_name(string name, uint* type, uint* attach);
    [LibraryImport(Library)] private static partial nint bpf_object__open_mem(byte* buffer, nuint size, nint options);
    [LibraryImport(Library)] private static partial int bpf_object__gen_loader(nint obj, GenLoaderOptions* options);
    [LibraryImport(Library)] private static partial int bpf_object__load(nint obj);
    [LibraryImport(Library)] private static partial void bpf_object__close(nint obj);
    [LibraryImport(Library)] private static partial nint bpf_object__btf(nint obj);
    [LibraryImport(Library)] private static partial nint btf__raw_data(nint btf, uint* size);
    [LibraryImport(Library)] private static partial nint bpf_object__next_program(nint obj, nint prev);
    [LibraryImport(Library)] private static partial nint bpf_program__name(nint p);
    [LibraryImport(Library)] private static partial nint bpf_program__section_name(nint p);
    [LibraryImport(Library)] private static partial nuint bpf_program__insn_cnt(nint p);
    [LibraryImport(Library)] private static partial nint bpf_program__insns(nint p);
    [LibraryImport(Library)] private static partial uint bpf_program__type(nint p);
    [LibraryImport(Library)] private static partial uint bpf_program__expected_attach_type(nint p);
    [LibraryImport(Library)] private static partial uint bpf_program__flags(nint p);
    [LibraryImport(Library)] private static partial byte bpf_program__autoload(nint p);
    [LibraryImport(Library)] private static partial nint bpf_object__next_map(nint obj, nint prev);
    [LibraryImport(Library)] private static partial nint bpf_map__name(nint m);
    [LibraryImport(Library)] private static partial uint bpf_map__type(nint m);
    [LibraryImport(Library)] private static partial uint bpf_map__key_size(nint m);
    [LibraryImport(Library)] private static partial uint bpf_map__value_size(nint m);
    [LibraryImport(Library)] private static partial uint bpf_map__max_entries(nint m);
    [LibraryImport(Library)] private static partial uint bpf_map__map_flags(nint m);
    [LibraryImport(Library)] private static partial uint bpf_map__numa_node(nint m);
    [LibraryImport(Library)] private static partial ulong bpf_map__map_extra(nint m);
    [LibraryImport(Library)] private static partial uint bpf_map__btf_key_type_id(nint m);
    [LibraryImport(Library)] private static partial uint bpf_map__btf_value_type_id(nint m);
    [LibraryImport(Library)] private static partial byte bpf_map__is_internal(nint m);
    [LibraryImport(Library)] private static partial nint bpf_map__inner_map(nint m);
    [LibraryImport(Library)] private static partial nint bpf_map__initial_value(nint m, nuint* size);
    [LibraryImport(Library)] private static partial int bpf_map__set_pin_path(nint m, nint path);
}
