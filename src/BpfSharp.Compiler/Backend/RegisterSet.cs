using System.Numerics;

namespace BpfSharp.Compiler.Backend;

/// <summary>A dense set of machine register ids (physical r0–r10 are 0–10, virtual registers follow).</summary>
internal sealed class RegisterSet
{
    ulong[] _words;

    public RegisterSet(int capacity) => _words = new ulong[(capacity + 63) >> 6];

    public bool Contains(int id) => id >> 6 < _words.Length && (_words[id >> 6] & (1UL << id)) != 0;

    public void Add(int id)
    {
        if (id >> 6 >= _words.Length) Array.Resize(ref _words, (id >> 6) + 1);
        _words[id >> 6] |= 1UL << id;
    }

    public void Remove(int id)
    {
        if (id >> 6 < _words.Length) _words[id >> 6] &= ~(1UL << id);
    }

    /// <summary>Adds every member of <paramref name="other"/>; true when this set grew.</summary>
    public bool UnionWith(RegisterSet other)
    {
        if (other._words.Length > _words.Length) Array.Resize(ref _words, other._words.Length);
        bool changed = false;
        for (int i = 0; i < other._words.Length; i++)
        {
            ulong merged = _words[i] | other._words[i];
            changed |= merged != _words[i];
            _words[i] = merged;
        }
        return changed;
    }

    public RegisterSet Clone()
    {
        var copy = new RegisterSet(0) { _words = (ulong[])_words.Clone() };
        return copy;
    }

    public IEnumerable<int> Members()
    {
        for (int w = 0; w < _words.Length; w++)
        {
            ulong bits = _words[w];
            while (bits != 0)
            {
                int bit = BitOperations.TrailingZeroCount(bits);
                yield return (w << 6) + bit;
                bits &= bits - 1;
            }
        }
    }
}
