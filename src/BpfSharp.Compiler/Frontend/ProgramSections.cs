using BpfSharp.Compiler.Metadata;

namespace BpfSharp.Compiler.Frontend;

/// <summary>The program attribute of a method, as its ELF section and the value it returns where C# would throw.</summary>
internal static class ProgramSections
{
    public sealed record ProgramInfo(string Section, long ExceptionReturn);

    public static ProgramInfo? Find(IReadOnlyList<AttributeData> attributes)
    {
        foreach (AttributeData a in attributes)
        {
            if (!a.TypeFullName.StartsWith("BpfSharp.Kernel.", StringComparison.Ordinal)) continue;
            string? section = SectionOf(a);
            if (section is null) continue;
            return new ProgramInfo(section, a.NamedArguments.TryGetValue("ExceptionReturn", out object? v) && v is int r ? r : 0);
        }
        return null;
    }

    static string? SectionOf(AttributeData a)
    {
        string name = a.TypeFullName["BpfSharp.Kernel.".Length..];
        string Arg(int i) => i < a.Arguments.Count ? a.Arguments[i]?.ToString() ?? "" : "";
        return name switch
        {
            "XdpAttribute" => a.Named<bool>("Frags") ? "xdp.frags" : "xdp",
            "SocketFilterAttribute" => "socket",
            "TcAttribute" => "tc",
            "SyscallAttribute" => "syscall",
            "TracepointAttribute" => $"tracepoint/{Arg(0)}/{Arg(1)}",
            "RawTracepointAttribute" => $"raw_tp/{Arg(0)}",
            "TpBtfAttribute" => $"tp_btf/{Arg(0)}",
            "ProgramAttribute" => Arg(0),
            _ => null,
        };
    }
}
