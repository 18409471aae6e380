
namespace BpfSharp.Tests.Maps;

/// <summary>
/// A hand-built BTF blob for maps that need BTF for key and value (local storage): type 1 is a 32-bit signed
/// <c>int</c>, type 2 a <c>struct val { int a; int b; }</c> of 8 bytes.
/// </summary>
static class TestBtf
{
    public const uint IntId = 1, ValueStructId = 2;
    public const uint ValueSize = 8;

    public static byte[] Build()
    {
        var btf = new BpfSharp.Btf.BtfBuilder();
        uint intId = btf.AddInt("int", 4, signed: true);
        btf.AddStruct("val", ValueSize, ("a", intId, 0u), ("b", intId, 32u));
        return btf.Build();
    }
}
