using System.Collections.Concurrent;

namespace Cloud.ElasticsearchNode.Engine;

/// <summary>
/// Versions of the ids written since the last refresh, which the searcher cannot see yet. A refresh
/// moves the current map aside (still consulted while the reader reopens) and drops it once the new
/// reader is visible, so the map only ever holds what Lucene's reader is missing.
/// </summary>
internal sealed class LiveVersionMap
{
    private volatile ConcurrentDictionary<string, DocVersion> _current = new(StringComparer.Ordinal);
    private volatile ConcurrentDictionary<string, DocVersion> _old = new(StringComparer.Ordinal);

    public bool IsEmpty => _current.IsEmpty && _old.IsEmpty;

    public bool TryGet(string id, out DocVersion version) =>
        _current.TryGetValue(id, out version) || _old.TryGetValue(id, out version);

    public void Put(string id, DocVersion version) => _current[id] = version;

    public void BeforeRefresh()
    {
        _old = _current;
        _current = new ConcurrentDictionary<string, DocVersion>(StringComparer.Ordinal);
    }

    public void AfterRefresh() => _old = new ConcurrentDictionary<string, DocVersion>(StringComparer.Ordinal);
}
