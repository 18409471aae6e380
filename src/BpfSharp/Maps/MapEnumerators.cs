namespace BpfSharp.Maps;

/// <summary>The keys of a map, walked with BPF_MAP_GET_NEXT_KEY; a struct enumerable, so <c>foreach</c> allocates nothing.</summary>
public readonly struct MapKeys<TKey>(BpfMap map) where TKey : unmanaged
{
    public Enumerator GetEnumerator() => new(map);

    public unsafe struct Enumerator(BpfMap map)
    {
        TKey current;
        bool started;
        const int ENOENT = 2;

        public readonly TKey Current => current;

        public bool MoveNext()
        {
            TKey next;
            int r;
            if (!started)
            {
                started = true;
                r = map.GetNextKeyRaw(null, &next);
            }
            else
            {
                TKey previous = current;
                r = map.GetNextKeyRaw(&previous, &next);
            }
            if (r == -ENOENT) return false;
            if (r < 0) throw map.Error(Abi.BpfCommand.MapGetNextKey, r);
            current = next;
            return true;
        }
    }
}

/// <summary>The entries of a map; a struct enumerable that looks each key's value up as it goes.</summary>
public readonly struct MapEntries<TKey, TValue>(KeyValueMap<TKey, TValue> map)
    where TKey : unmanaged
    where TValue : unmanaged
{
    public Enumerator GetEnumerator() => new(map);

    public struct Enumerator(KeyValueMap<TKey, TValue> map)
    {
        MapKeys<TKey>.Enumerator keys = map.Keys.GetEnumerator();
        KeyValuePair<TKey, TValue> current;

        public readonly KeyValuePair<TKey, TValue> Current => current;

        public bool MoveNext()
        {
            while (keys.MoveNext())
            {
                if (map.TryGetValue(keys.Current, out TValue value))
                {
                    current = new KeyValuePair<TKey, TValue>(keys.Current, value);
                    return true;
                }
            }
            return false;
        }
    }
}
