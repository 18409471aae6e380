namespace BpfSharp.Maps;

/// <summary>
/// A typed view that can wrap an existing <see cref="BpfMap"/> (checked: map type, key and value sizes, layout
/// rules). Lets <c>BpfObject.Map&lt;TMap&gt;(name)</c> hand out typed maps without reflection.
/// </summary>
public interface ITypedMapView<TSelf> where TSelf : ITypedMapView<TSelf>
{
    /// <summary>Wraps <paramref name="map"/>; throws <see cref="ArgumentException"/> when it does not fit.</summary>
    static abstract TSelf Wrap(BpfMap map);
}
