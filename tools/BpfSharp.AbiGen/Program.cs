// Generates src/BpfSharp.Object/Abi/*.g.cs from the running kernel's BTF and the UAPI headers, so that no
// kernel structure or constant is typed by hand.
//
//   dotnet run --project tools/BpfSharp.AbiGen [-- --btf /sys/kernel/btf/vmlinux --include /usr/include --out src/BpfSharp.Object/Abi]
using BpfSharp.AbiGen;
using BpfSharp.Btf;

string btfPath = "/sys/kernel/btf/vmlinux";
string includeDir = "/usr/include";
string outDir = Path.Combine(FindRepoRoot(), "src", "BpfSharp.Object", "Abi");
for (int i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--btf": btfPath = args[i + 1]; break;
        case "--include": includeDir = args[i + 1]; break;
        case "--out": outDir = args[i + 1]; break;
        default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
    }
}

BtfSpec btf = BtfSpec.Parse(File.ReadAllBytes(btfPath));
string source = $"{btfPath} (Linux {Environment.OSVersion.Version}) and {includeDir}";
Directory.CreateDirectory(outDir);

var files = new Dictionary<string, string>
{
    ["Enums.g.cs"] = EnumGenerator.Generate(btf, source),
    ["Attributes.g.cs"] = AttrGenerator.Generate(btf, source),
    ["Infos.g.cs"] = StructGenerator.Generate(btf, source, AbiTables.Structs),
    ["HelperNames.g.cs"] = EnumGenerator.GenerateHelperNames(btf, source),
    ["Defines.g.cs"] = DefineGenerator.Generate(includeDir, source),
    ["Errno.g.cs"] = ErrnoGenerator.Generate(includeDir, source),
};
foreach (var (name, text) in files)
{
    File.WriteAllText(Path.Combine(outDir, name), text);
    Console.WriteLine($"wrote {Path.Combine(outDir, name)}");
}
return 0;

static string FindRepoRoot()
{
    for (string? dir = Directory.GetCurrentDirectory(); dir != null; dir = Path.GetDirectoryName(dir))
        if (File.Exists(Path.Combine(dir, "BpfSharp.slnx"))) return dir;
    throw new InvalidOperationException("run from inside the BpfSharp repository or pass --out");
}
