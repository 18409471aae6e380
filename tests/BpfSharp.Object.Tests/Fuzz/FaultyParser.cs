using System.Runtime.CompilerServices;

namespace BpfSharp.Object.Tests.Fuzz;

/// <summary>
/// A parser with one fault per input length, for <see cref="FuzzHarnessTests"/>: 5 bytes overflow the stack,
/// 6 never return, 7 throw an exception that is not a BpfFormatException, 8 allocate far more than the input
/// warrants, 9 reject the input properly; every other length parses.
/// </summary>
static class FaultyParser
{
    public const string Name = "SelfTest.FaultyParser";

    static volatile bool spin = true;

    public static object? Parse(byte[] input)
    {
        switch (input.Length)
        {
            case 5: return Recurse(input.Length);
            case 6:
                while (spin) Thread.SpinWait(1000);
                return null;
            case 7: throw new InvalidOperationException("a parser bug");
            case 8: return new byte[32 << 20];
            case 9: throw new BpfFormatException("9 bytes is not a valid input");
            default: return input.Length;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static int Recurse(int depth) => Recurse(depth + 1) + 1;
}
