using System.Globalization;
using BpfSharp.Interop.Tests.Tools;

namespace BpfSharp.Interop.Tests.Cli;

/// <summary>A function symbol as <c>llvm-objdump-19 -t</c> lists it: name, section and size in bytes.</summary>
public sealed record FunctionSymbol(string Name, string Section, bool IsGlobal, long Size)
{
    /// <summary>8-byte instruction slots the function occupies.</summary>
    public int Slots => (int)(Size / 8);

    public const string Objdump = "llvm-objdump-19";

    /// <summary>The FUNC symbols of <paramref name="objectPath"/>, read by llvm-objdump (an independent ELF reader).</summary>
    public static IReadOnlyList<FunctionSymbol> Read(string objectPath)
    {
        ToolResult result = ExternalTool.Run(Objdump, ["-t", objectPath]);
        Xunit.Assert.True(result.Succeeded, result.ToString());
        // "0000000000000020 g     F xdp	0000000000000108 xdp_firewall": address, flags (fixed width), section TAB size name.
        var symbols = new List<FunctionSymbol>();
        foreach (string line in result.StandardOutput.Split('\n'))
        {
            if (line.Length < 26 || line[23] != 'F') continue;
            string[] rest = line[25..].Split('\t');
            // The size may be followed by a visibility (".hidden") before the name.
            string[] sizeAndName = rest[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            symbols.Add(new FunctionSymbol(sizeAndName[^1], rest[0], line[17] == 'g',
                long.Parse(sizeAndName[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
        }
        return symbols;
    }
}
