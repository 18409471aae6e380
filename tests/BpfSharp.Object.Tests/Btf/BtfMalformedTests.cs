using BpfSharp.Btf;
using Xunit;
using static BpfSharp.Object.Tests.Btf.BtfSpecTests;

namespace BpfSharp.Object.Tests.Btf;

/// <summary>Malformed BTF gives a <see cref="BtfFormatException"/> that names the type and the byte, never a crash.</summary>
public class BtfMalformedTests
{
    const string Strings = "\0int\0s\0m\0";
    static uint Info(BtfKind kind, int vlen) => ((uint)kind << 24) | (uint)vlen;
    static readonly uint[] IntType = [1, Info(BtfKind.Int, 0), 4, 0x01000020];

    static BtfFormatException Fails(byte[] blob) => Assert.Throws<BtfFormatException>(() => BtfSpec.Parse(blob));

    [Fact]
    public void AVlenLargerThanTheRestOfTheSection()
    {
        // [2] struct s with vlen 1000 but one member's bytes.
        var e = Fails(Raw([.. IntType, 5, Info(BtfKind.Struct, 1000), 4, 7, 1, 0], Strings));
        Assert.Contains("BTF type [2] at byte 40", e.Message);
        Assert.Contains("vlen 1000", e.Message);
    }

    [Fact]
    public void AReferenceToATypeThatDoesNotExist()
    {
        var e = Fails(Raw([.. IntType, 5, Info(BtfKind.Struct, 1), 4, 7, 99, 0], Strings));
        Assert.Contains("BTF type [2] at byte 40 refers to type id 99 (at byte 56)", e.Message);
        Assert.Contains("last type id is 2", e.Message);
    }

    [Fact]
    public void AMemberNameOutsideTheStringTable()
    {
        var e = Fails(Raw([.. IntType, 5, Info(BtfKind.Struct, 1), 4, 500, 1, 0], Strings));
        Assert.Contains("BTF type [2], member name at byte 52: string offset 500", e.Message);
    }

    [Fact]
    public void AnUnknownKind()
    {
        var e = Fails(Raw([.. IntType, 0, Info((BtfKind)25, 0), 0], Strings));
        Assert.Contains("BTF type [2] at byte 40: unknown kind 25", e.Message);
    }

    [Fact]
    public void APartialTypeHeaderAtTheEnd()
    {
        var e = Fails(Raw([.. IntType, 0, Info(BtfKind.Pointer, 0)], Strings));
        Assert.Contains("BTF type [2] at byte 40: the 12-byte type header", e.Message);
    }

    [Fact]
    public void AStringTableWithoutItsFinalNul() =>
        Assert.Contains("does not end with a NUL", Fails(Raw(IntType, "\0int")).Message);

    [Fact]
    public void SplitBtfWithoutItsBase() =>
        Assert.Contains("split BTF", Fails(Raw(IntType, "int\0")).Message);

    [Fact]
    public void AMisalignedTypeSection() =>
        Assert.Contains("not 4-byte aligned", Fails(Raw(IntType, Strings, b => b[8] = 2)).Message);

    [Fact]
    public void SectionsOutsideTheBlob() =>
        Assert.Contains("string section", Fails(Raw(IntType, Strings, b => b[20] = 200)).Message);

    [Fact]
    public void BigEndianBtf() =>
        Assert.Contains("big-endian", Fails(Raw(IntType, Strings, b => (b[0], b[1]) = (0xEB, 0x9F))).Message);

    [Fact]
    public void TypeIdsOutOfRange()
    {
        BtfSpec spec = BtfSpec.Parse(Raw(IntType, Strings));
        Assert.Contains("out of range", Assert.Throws<BtfFormatException>(() => spec[2]).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => spec.Types[2]);
    }

    [Fact]
    public void CyclesEndInAnErrorNotAHang()
    {
        // [1] typedef -> [2] const -> [1]; [3] array of [3].
        BtfSpec spec = BtfSpec.Parse(Raw(
            [1, Info(BtfKind.Typedef, 0), 2, 0, Info(BtfKind.Const, 0), 1, 0, Info(BtfKind.Array, 0), 0, 3, 3, 4], Strings));
        Assert.Throws<BtfFormatException>(() => spec.SkipModifiers(1));
        Assert.Throws<BtfFormatException>(() => spec.ResolveType(1));
        Assert.Throws<BtfFormatException>(() => spec.SizeOf(3));
        Assert.Throws<BtfFormatException>(() => spec.Alignment(3));
    }

    /// <summary>
    /// Truncated and bit-flipped versions of clang's BTF: each gives a spec whose every type, name look-up and
    /// size/alignment query answers or throws <see cref="BtfFormatException"/> — nothing else.
    /// </summary>
    [Fact]
    public void MutatedObjectBtfNeverEscapesAsAnotherException()
    {
        byte[] original = BtfTools.CompileBtf("every_kind.bpf.c");
        var random = new Random(1234);
        int parsed = 0;
        for (int round = 0; round < 4000; round++)
        {
            byte[] blob;
            if (round < original.Length)
            {
                blob = original.AsSpan(0, round).ToArray();
            }
            else
            {
                blob = (byte[])original.Clone();
                for (int flips = random.Next(1, 4); flips > 0; flips--) blob[random.Next(blob.Length)] ^= (byte)(1 << random.Next(8));
            }
            BtfSpec spec;
            try
            {
                spec = BtfSpec.Parse(blob);
            }
            catch (BtfFormatException)
            {
                continue;
            }
            parsed++;
            foreach (BtfType t in spec.Types)
            {
                _ = t.ToString();
                Attempt(() => spec.SizeOf(t.Id));
                Attempt(() => spec.Alignment(t.Id));
                Attempt(() => spec.ResolveType(t.Id));
                Attempt(() => spec.SkipModifiers(t.Id));
                // A flipped bit may leave invalid UTF-8, which decodes to U+FFFD and so names no type.
                if (t.Name.Length > 0 && !t.Name.Contains('\uFFFD')) Assert.True(spec.FindByName(t.Name).Any(x => x.Id == t.Id), $"round {round}: {t} not found by name");
            }
        }
        Assert.True(parsed > 100, $"only {parsed} mutants parsed; the test exercises too little");

        static void Attempt(Func<object> query)
        {
            try
            {
                query();
            }
            catch (BtfFormatException)
            {
            }
        }
    }
}
