using BpfSharp.Btf;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Btf;

/// <summary>
/// Object BTF as clang-19 writes it, from the fixtures of BpfSharp.Object.Tests/Btf/Fixtures, plus the one fix-up
/// the kernel needs before it accepts it (the loader's job in real use): DATASEC sizes and variable offsets, which
/// clang leaves at zero for libbpf to fill in from the symbol table.
/// </summary>
static class ClangBtf
{
    public static byte[] Compile(string fixture, string[] defines)
    {
        string obj = BpfC.Compile("../../BpfSharp.Object.Tests/Btf/Fixtures/" + fixture, [.. defines.Select(d => "-D" + d)]);
        string btf = Path.Combine(TestTools.WorkDirectory, $"{Guid.NewGuid():N}.btf");
        try
        {
            TestTools.Run(TestTools.Find("llvm-objcopy-19"), ["--dump-section", $".BTF={btf}", obj]);
            return File.ReadAllBytes(btf);
        }
        finally
        {
            File.Delete(btf);
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
}
