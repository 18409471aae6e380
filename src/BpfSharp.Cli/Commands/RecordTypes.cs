using BpfSharp.Abi;
using BpfSharp.Btf;
using BpfSharp.Objects;

namespace BpfSharp.Cli.Commands;

/// <summary>The BTF type of the records an event map carries, where the object says what it is.</summary>
sealed record RecordType(BtfSpec Btf, uint TypeId);

/// <summary>
/// Finds the record type of a ring buffer or perf event array of an object, by this rule (first match wins):
/// <list type="number">
/// <item>a ring buffer whose <c>.maps</c> definition names a value type (<c>__type(value, struct event)</c>) carries that
/// type (the loader must then create the map without a value size, which ring buffers refuse);</item>
/// <item>a global variable named <c>MAP_record</c> gives it by its type, or the type it points to:
/// <c>struct event *events_record;</c> for a map <c>events</c> (one pointer in <c>.bss</c>, the usual way to keep a type
/// in BTF);</item>
/// <item>a struct, union or typedef named <c>MAP_record</c> in the object's BTF.</item>
/// </list>
/// Otherwise the records have no known type and are shown in hex. A C# module compiled by BpfSharp can state the
/// type the same way (rule 1 or 2) from the <c>T</c> of its <c>RingBuf.Reserve&lt;T&gt;</c>/<c>Output&lt;T&gt;</c> calls.
/// </summary>
static class RecordTypes
{
    public static RecordType? Find(ObjectSpec spec, string mapName)
    {
        if (spec.Btf is not { } btf) return null;
        MapDefinition? map = spec.FindMap(mapName);
        if (map is { Type: BpfMapType.RingBuf or BpfMapType.UserRingBuf, BtfValueTypeId: > 0 } && HasSize(btf, map.BtfValueTypeId))
            return new RecordType(btf, map.BtfValueTypeId);
        string hint = mapName + "_record";
        if (spec.FindVariable(hint) is var (_, variable) && variable.BtfTypeId != 0)
        {
            BtfType type = btf.SkipModifiers(btf[variable.BtfTypeId].TypeId);
            uint id = type.Kind == BtfKind.Pointer ? type.TypeId : type.Id;
            if (HasSize(btf, id)) return new RecordType(btf, id);
        }
        foreach (BtfType t in btf.FindByName(hint))
            if (t.Kind is BtfKind.Struct or BtfKind.Union or BtfKind.Typedef && HasSize(btf, t.Id))
                return new RecordType(btf, t.Id);
        return null;
    }

    static bool HasSize(BtfSpec btf, uint id)
    {
        try { return btf.SizeOf(id) > 0; }
        catch (BtfFormatException) { return false; }
    }
}
