using System.Collections;

namespace BpfSharp.Links;

/// <summary>Links made together (one per CPU, one per symbol …) and disposed together.</summary>
public sealed class LinkGroup : IReadOnlyList<BpfLink>, IDisposable
{
    readonly List<BpfLink> links;

    internal LinkGroup(List<BpfLink> links) => this.links = links;

    public BpfLink this[int index] => links[index];

    public int Count => links.Count;

    public IEnumerator<BpfLink> GetEnumerator() => links.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Disposes every link (a link that is pinned stays attached through its pin).</summary>
    public void Dispose()
    {
        foreach (BpfLink link in links) link.Dispose();
    }

    /// <summary>Makes one link per item; if one fails, the links made so far are disposed and the error propagates.</summary>
    internal static LinkGroup Build<T>(IEnumerable<T> items, Func<T, BpfLink> make)
    {
        var links = new List<BpfLink>();
        try
        {
            foreach (T item in items) links.Add(make(item));
            return new LinkGroup(links);
        }
        catch
        {
            foreach (BpfLink link in links) link.Dispose();
            throw;
        }
    }
}
