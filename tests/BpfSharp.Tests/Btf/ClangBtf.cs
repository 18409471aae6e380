using System.Diagnostics;
using System.Runtime.CompilerServices;
using BpfSharp.Btf;
using Xunit;

namespace BpfSharp.Tests.Btf;

/// <summary>
/// Object BTF as clang-19 writes it, from the fixtures of BpfSharp.Object.Tests/Btf/Fixtures, plus the one fix-up
/// the kernel needs before it accepts it (the loader's job in real use): DATASEC sizes and variable offsets, which
/// clang leaves at zero for libbpf to fill in from the symbol table.
/// </summary>
static class ClangBtf
{
    public static byte[] Compile(string fixture, string[] defines, [CallerFilePath] string here = "")
    {
        string source = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "../../BpfSharp.Object.Tests/Btf/Fixtures", fixture));
        string dir = Directory.CreateTempSubdirectory("btftest").FullName;
        try
        {
            string obj = Path.Combine(dir, "x.o"), btf = Path.Combine(dir, "x.btf");
            Run(Tool("clang-19"), ["-g", "-O2", "-target", "bpf", "-c", source, "-o", obj, .. defines.Select(d => "-D" + d)]);
            Run(Tool("llvm-objcopy-19"), ["--dump-section", $".BTF={btf}", obj]);
            return File.ReadAllBytes(btf);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Lays the variables of each zero-sized DATASEC out one after another at their alignment.</summary>
    public static BtfSpec WithDataSectionsLaidOut(BtfSpec spec)
    {
        BtfBuilder builder = BtfBuilder.From(spec);
        foreach (BtfType t in spec.Types)
        {
            if (t.Kind != BtfKind.DataSection || t.Size != 0) continue;
            var variables = new List<BtfSectionVariable>();
            uint offset = 0;
            foreach (BtfSectionVariable v in t.Variables)
            {
                uint size = (uint)spec.SizeOf(v.TypeId);
                uint align = (uint)spec.Alignment(spec[v.TypeId].TypeId);
                offset = (offset + align - 1) / align * align;
                variables.Add(v with { Offset = offset, Size = size });
                offset += size;
            }
            builder.Replace(t.Id, t with { Size = offset, Variables = variables });
        }
        return builder.ToSpec();
    }

    static string Tool(string name)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Append("/usr/bin"))
            if (dir.Length > 0 && File.Exists(Path.Combine(dir, name))) return Path.Combine(dir, name);
        if (Kernel.InCi) Assert.Fail($"CI machines have {name}; it is missing.");
        Assert.Skip($"{name} is not installed");
        return "";
    }

    static void Run(string program, string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args) start.ArgumentList.Add(a);
        using Process p = Process.Start(start)!;
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{program} exited with {p.ExitCode}: {stderr.Result}");
    }
}
