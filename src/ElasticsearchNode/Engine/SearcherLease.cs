using Lucene.Net.Search;

namespace Cloud.ElasticsearchNode.Engine;

/// <summary>A point-in-time searcher of one shard, held until disposed (scroll contexts keep theirs across requests).</summary>
internal sealed class SearcherLease : IDisposable
{
    private readonly SearcherManager _manager;
    private int _released;

    public SearcherLease(SearcherManager manager)
    {
        _manager = manager;
        Searcher = manager.Acquire();
    }

    public IndexSearcher Searcher { get; }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            _manager.Release(Searcher);
        }
    }
}
