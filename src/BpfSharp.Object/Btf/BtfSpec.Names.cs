using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace BpfSharp.Btf;

public sealed partial class BtfSpec
{
    // A few look-ups scan the types (cheaper than hashing every name); after that the index pays for itself.
    const int LookupsBeforeIndex = 4;

    NameIndex? nameIndex;
    int lookups;

    /// <summary>All types with this name (several kinds may share one, e.g. a struct and a FWD), in id order.</summary>
    public IReadOnlyList<BtfType> FindByName(string name) => Collect(name, essential: false, kind: null);

    /// <summary>The one type with this name and kind (the first in id order), or null.</summary>
    public BtfType? Find(string name, BtfKind kind)
    {
        IReadOnlyList<BtfType> found = Collect(name, essential: false, kind);
        return found.Count > 0 ? found[0] : null;
    }

    /// <summary>
    /// All types whose essential name (see <see cref="EssentialName"/>) equals that of <paramref name="name"/>:
    /// the candidates CO-RE matches a local type against, e.g. <c>task_struct</c> and <c>task_struct___v2</c>.
    /// </summary>
    public IReadOnlyList<BtfType> FindByEssentialName(string name, BtfKind? kind = null) => Collect(name, essential: true, kind);

    /// <summary>
    /// A name without its CO-RE flavour: the part before the last <c>___</c> that has a non-underscore on both sides
    /// (<c>task_struct___v2</c> → <c>task_struct</c>); the name itself when it has none.
    /// </summary>
    public static string EssentialName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        int length = EssentialLength(name.AsSpan());
        return length == name.Length ? name : name[..length];
    }

    static int EssentialLength<T>(ReadOnlySpan<T> name) where T : unmanaged, IEquatable<T>, IBinaryInteger<T>
    {
        T underscore = T.CreateTruncating('_');
        if (name.Length < 5 || name.IndexOf([underscore, underscore, underscore]) < 0) return name.Length;
        for (int i = name.Length - 5; i >= 0; i--)
            if (!name[i].Equals(underscore) && name[i + 1].Equals(underscore) && name[i + 2].Equals(underscore)
                && name[i + 3].Equals(underscore) && !name[i + 4].Equals(underscore))
                return i + 1;
        return name.Length;
    }

    IReadOnlyList<BtfType> Collect(string name, bool essential, BtfKind? kind)
    {
        ArgumentNullException.ThrowIfNull(name);
        var found = new List<BtfType>();
        if (name.Length == 0) return found;
        // Like libbpf, "void" names type 0.
        if (!essential && name == "void" && kind is null or BtfKind.Unknown) found.Add(Void);
        byte[] utf8 = Encoding.UTF8.GetBytes(name);
        int essentialLength = EssentialLength<byte>(utf8);
        CollectFromBaseFirst(utf8, essentialLength, essential, kind, found);
        return found;
    }

    void CollectFromBaseFirst(byte[] query, int essentialLength, bool essential, BtfKind? kind, List<BtfType> found)
    {
        Base?.CollectFromBaseFirst(query, essentialLength, essential, kind, found);
        CollectOwn(query, essentialLength, essential, kind, found);
    }

    void CollectOwn(byte[] query, int essentialLength, bool essential, BtfKind? kind, List<BtfType> found)
    {
        NameIndex? index = nameIndex;
        if (index is null && Interlocked.Increment(ref lookups) > LookupsBeforeIndex)
            Volatile.Write(ref nameIndex, index = NameIndex.Build(this));
        ReadOnlySpan<byte> data = Data;
        if (index is null)
        {
            for (int i = 0; i < ownCount; i++)
                if (Matches(data, i, query, essentialLength, essential, kind)) found.Add(this[FirstTypeId + (uint)i]);
            return;
        }
        uint hash = NameIndex.Hash(query.AsSpan(0, essentialLength));
        for (int i = index.First(hash); i >= 0; i = index.Next(i))
            if (index.HashOf(i) == hash && Matches(data, i, query, essentialLength, essential, kind)) found.Add(this[FirstTypeId + (uint)i]);
    }

    bool Matches(ReadOnlySpan<byte> data, int i, byte[] query, int essentialLength, bool essential, BtfKind? kind)
    {
        int at = offsets[i];
        uint nameOffset = BtfWire.ReadU32(data, at);
        if (nameOffset == 0) return false;
        if (kind is { } k && BtfWire.Kind(BtfWire.ReadU32(data, at + 4)) != k) return false;
        ReadOnlySpan<byte> candidate = strings.Bytes(nameOffset);
        return essential
            ? EssentialLength(candidate) == essentialLength && candidate[..essentialLength].SequenceEqual(query.AsSpan(0, essentialLength))
            : candidate.SequenceEqual(query);
    }

    /// <summary>Own types chained by the hash of their essential name (so exact and flavour look-ups share it).</summary>
    sealed class NameIndex
    {
        readonly int[] heads;
        readonly int[] next;
        readonly uint[] hashes;

        NameIndex(int count)
        {
            heads = new int[(int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(count, 1))];
            Array.Fill(heads, -1);
            next = new int[count];
            hashes = new uint[count];
        }

        public static NameIndex Build(BtfSpec spec)
        {
            var index = new NameIndex(spec.ownCount);
            ReadOnlySpan<byte> data = spec.Data;
            // Insert backwards so each chain lists ids in ascending order.
            for (int i = spec.ownCount - 1; i >= 0; i--)
            {
                uint nameOffset = BtfWire.ReadU32(data, spec.offsets[i]);
                if (nameOffset == 0)
                {
                    index.next[i] = -1;
                    continue;
                }
                ReadOnlySpan<byte> name = spec.strings.Bytes(nameOffset);
                uint hash = Hash(name[..EssentialLength(name)]);
                ref int head = ref index.heads[hash & (uint)(index.heads.Length - 1)];
                index.hashes[i] = hash;
                index.next[i] = head;
                head = i;
            }
            return index;
        }

        public int First(uint hash) => heads[hash & (uint)(heads.Length - 1)];

        public int Next(int i) => next[i];

        public uint HashOf(int i) => hashes[i];

        /// <summary>A fast non-cryptographic hash, eight bytes at a time.</summary>
        public static uint Hash(ReadOnlySpan<byte> s)
        {
            const ulong Multiplier = 0x9E3779B97F4A7C15;
            ulong h = (ulong)s.Length * Multiplier;
            while (s.Length >= 8)
            {
                h = BitOperations.RotateLeft((h ^ BinaryPrimitives.ReadUInt64LittleEndian(s)) * Multiplier, 29);
                s = s[8..];
            }
            ulong tail = 0;
            for (int i = 0; i < s.Length; i++) tail |= (ulong)s[i] << (8 * i);
            h = (h ^ tail) * Multiplier;
            return (uint)(h ^ (h >> 32));
        }
    }
}
