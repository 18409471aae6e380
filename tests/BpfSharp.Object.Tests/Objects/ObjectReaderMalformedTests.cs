using System.Buffers.Binary;
using BpfSharp.Elf;
using BpfSharp.Object.Tests.Elf;
using BpfSharp.Objects;
using Xunit;

namespace BpfSharp.Object.Tests.Objects;

/// <summary>Broken objects give a result or a <see cref="BpfFormatException"/>: never another exception, a hang or a huge allocation.</summary>
public class ObjectReaderMalformedTests
{
    [Theory]
    [MemberData(nameof(Samples))]
    public void TruncatedAndBitFlippedObjectsGiveAResultOrAFormatError(string name)
    {
        byte[] original = Toolchain.CompileBytes(ObjectSamples.All[name]);
        ElfFile elf = ElfFile.Parse(original);
        // Flip bits where the structure is: headers, symbols, relocations, .BTF, .BTF.ext, .maps and code.
        var hot = elf.Sections
            .Where(s => s.Index != 0 && s.Type != ElfSectionType.NoBits && !s.Name.StartsWith(".debug", StringComparison.Ordinal)
                && !s.Name.StartsWith(".rel.debug", StringComparison.Ordinal))
            .Select(s => (Start: (int)s.Offset, Length: (int)s.Size))
            .Append((Start: (int)elf.Header.SectionHeaderOffset, Length: elf.Sections.Count * 64))
            .Append((Start: 0, Length: 64))
            .Where(r => r.Length > 0)
            .ToArray();
        var random = new Random(name.GetHashCode(StringComparison.Ordinal));
        int rejected = 0, read = 0;
        for (int round = 0; round < 1500; round++)
        {
            byte[] bytes;
            if (round % 5 == 0)
            {
                bytes = original.AsSpan(0, random.Next(original.Length)).ToArray();
            }
            else
            {
                bytes = (byte[])original.Clone();
                for (int flips = random.Next(1, 4); flips > 0; flips--)
                {
                    var (start, length) = hot[random.Next(hot.Length)];
                    int at = start + random.Next(length);
                    if (random.Next(3) == 0)
                        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at & ~3), (uint)random.Next()); // a whole random word
                    else
                        bytes[at] ^= (byte)(1 << random.Next(8));
                }
            }
            try
            {
                ObjectSpec spec = ObjectReader.Read(bytes, name);
                foreach (ProgramDefinition p in spec.Programs) _ = p.Instructions.Count;
                read++;
            }
            catch (BpfFormatException)
            {
                rejected++;
            }
        }
        Assert.True(rejected > 0 && read > 0, $"{rejected} rejected, {read} read");
    }

    public static TheoryData<string> Samples() => [.. ObjectSamples.All.Keys];
}
