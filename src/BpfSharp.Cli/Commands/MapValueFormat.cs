using System.Buffers.Binary;
using System.Text.Json;
using BpfSharp.Abi;
using BpfSharp.Btf;
using BpfSharp.Btf.Values;
using BpfSharp.Maps;

namespace BpfSharp.Cli.Commands;

/// <summary>
/// How the keys and values of one map are shown: through the map's BTF with field names when it has a type for them,
/// otherwise as a number (4-byte array indexes, the ids a program-array or map-of-maps lookup returns) or hex bytes,
/// as bpftool does. Per-CPU values are split into one slot per possible CPU.
/// </summary>
sealed class MapValueFormat
{
    readonly BtfSpec? btf, valueBtf;
    readonly uint keyType, valueType;
    readonly BpfMapType type;

    public MapValueFormat(MapInfo info, KernelBtfById btfs)
    {
        type = info.Type;
        btf = btfs.Get(info.BtfId);
        keyType = btf is null ? 0 : info.BtfKeyTypeId;
        valueType = btf is null ? 0 : info.BtfValueTypeId;
        valueBtf = btf;
        if (info.BtfVmlinuxValueTypeId != 0 && KernelBtf.IsAvailable)
        {
            // struct_ops maps: the value is a kernel struct, described by vmlinux.
            valueBtf = KernelBtf.Vmlinux;
            valueType = info.BtfVmlinuxValueTypeId;
        }
        ValueSize = (int)info.ValueSize;
        IsPerCpu = type is BpfMapType.PerCpuArray or BpfMapType.PerCpuHash or BpfMapType.LruPerCpuHash or BpfMapType.PerCpuCgroupStorage;
    }

    public int ValueSize { get; }
    public bool IsPerCpu { get; }

    /// <summary>True for global-data sections (a DATASEC value): worth showing indented.</summary>
    public bool IsDataSection => valueBtf is { } b && valueType != 0 && b.SkipModifiers(valueType).Kind == BtfKind.DataSection;

    /// <summary>The per-CPU slots of a per-CPU value (each padded to 8 bytes), or the value itself.</summary>
    public IEnumerable<ReadOnlyMemory<byte>> Slots(byte[] value)
    {
        if (!IsPerCpu)
        {
            yield return value;
            yield break;
        }
        int slot = (ValueSize + 7) & ~7;
        for (int offset = 0; offset + slot <= value.Length; offset += slot) yield return value.AsMemory(offset, ValueSize);
    }

    public string Key(ReadOnlySpan<byte> key) => Text(btf, keyType, key, KeyNumber(key), indented: false);

    public string Value(ReadOnlySpan<byte> value, bool indented) => Text(valueBtf, valueType, value, ValueNumber(value), indented);

    public void WriteKey(Utf8JsonWriter w, ReadOnlySpan<byte> key) => Json(w, btf, keyType, key, KeyNumber(key));

    public void WriteValue(Utf8JsonWriter w, ReadOnlySpan<byte> value) => Json(w, valueBtf, valueType, value, ValueNumber(value));

    /// <summary>Array indexes read better as numbers than as four hex bytes.</summary>
    ulong? KeyNumber(ReadOnlySpan<byte> key) =>
        key.Length == 4 && type is BpfMapType.Array or BpfMapType.PerCpuArray or BpfMapType.ProgArray or BpfMapType.ArrayOfMaps
            or BpfMapType.PerfEventArray or BpfMapType.CgroupArray or BpfMapType.DevMap or BpfMapType.CpuMap or BpfMapType.XskMap
            or BpfMapType.SockMap
            ? BinaryPrimitives.ReadUInt32LittleEndian(key) : null;

    /// <summary>A lookup in a program array or map of maps returns the id of the program or inner map.</summary>
    ulong? ValueNumber(ReadOnlySpan<byte> value) =>
        value.Length == 4 && type is BpfMapType.ProgArray or BpfMapType.ArrayOfMaps or BpfMapType.HashOfMaps
            ? BinaryPrimitives.ReadUInt32LittleEndian(value) : null;

    static string Text(BtfSpec? spec, uint typeId, ReadOnlySpan<byte> bytes, ulong? number, bool indented)
    {
        if (spec != null && typeId != 0)
        {
            try { return BtfValueFormatter.Format(spec, typeId, bytes, indented); }
            catch (Exception e) when (e is BtfFormatException or ArgumentException) { } // BTF that does not fit the bytes: show them raw
        }
        return number?.ToString() ?? HexBytes.Format(bytes);
    }

    static void Json(Utf8JsonWriter w, BtfSpec? spec, uint typeId, ReadOnlySpan<byte> bytes, ulong? number)
    {
        if (spec != null && typeId != 0 && Fits(spec, typeId, bytes.Length))
        {
            BtfValueFormatter.WriteJson(w, spec, typeId, bytes);
            return;
        }
        if (number is { } n)
        {
            w.WriteNumberValue(n);
            return;
        }
        w.WriteStartArray();
        foreach (byte b in bytes) w.WriteStringValue($"0x{b:x2}");
        w.WriteEndArray();
    }

    /// <summary>Checked before writing JSON, which cannot be taken back half-written.</summary>
    static bool Fits(BtfSpec spec, uint typeId, int length)
    {
        try
        {
            BtfValueFormatter.Format(spec, typeId, new byte[length]);
            return true;
        }
        catch (Exception e) when (e is BtfFormatException or ArgumentException)
        {
            return false;
        }
    }
}
