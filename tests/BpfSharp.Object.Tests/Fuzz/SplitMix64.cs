namespace BpfSharp.Object.Tests.Fuzz;

/// <summary>
/// A tiny deterministic PRNG (SplitMix64). Used instead of System.Random so that a (seed, index) printed by a
/// failing fuzz run names the same mutation on every runtime version.
/// </summary>
struct SplitMix64(ulong seed)
{
    ulong state = seed;

    public ulong Next()
    {
        ulong z = state += 0x9E3779B97F4A7C15;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, bound); bound must be positive.</summary>
    public int Below(int bound) => (int)(Next() % (ulong)bound);

    /// <summary>True with probability percent/100.</summary>
    public bool Chance(int percent) => Below(100) < percent;

    public T Pick<T>(IReadOnlyList<T> items) => items[Below(items.Count)];

    /// <summary>The generator for mutation <paramref name="index"/> of a run with <paramref name="seed"/>.</summary>
    public static SplitMix64 For(ulong seed, long index) => new(seed * 0x9E3779B97F4A7C15 ^ (ulong)index * 0xD1B54A32D192ED03);
}
