using Cloud.ElasticsearchNode.Mapping;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace Cloud.ElasticsearchNode.Engine;

/// <summary>
/// Finds the version, sequence number and term of an id in a searcher's segments, keeping each segment's terms
/// and docs enumerators from one lookup to the next (as Elasticsearch's per-thread id lookup does): building them
/// anew for every segment on every write cost more than the write. Not thread-safe: one instance per thread.
/// Segments gone from the reader (merged away) are forgotten when the reader changes.
/// </summary>
internal sealed class IdVersionLookup
{
    private readonly Dictionary<object, Segment> _segments = new(ReferenceEqualityComparer.Instance);
    private IndexReader? _reader;

    public DocVersion? Find(IndexReader reader, BytesRef id)
    {
        if (!ReferenceEquals(reader, _reader))
        {
            Follow(reader);
        }

        foreach (var leaf in reader.Leaves)
        {
            var segmentReader = (AtomicReader)leaf.Reader;
            var key = segmentReader.CoreCacheKey;
            if (!_segments.TryGetValue(key, out var segment))
            {
                segment = new Segment(segmentReader);
                _segments[key] = segment;
            }

            if (segment.Find(segmentReader, id) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    private void Follow(IndexReader reader)
    {
        _reader = reader;
        var live = reader.Leaves.Select(l => l.Reader.CoreCacheKey).ToHashSet(ReferenceEqualityComparer.Instance);
        foreach (var gone in _segments.Keys.Where(k => !live.Contains(k)).ToList())
        {
            _segments.Remove(gone);
        }
    }

    private sealed class Segment(AtomicReader reader)
    {
        private readonly TermsEnum? _terms = reader.GetTerms(MetaFields.Id)?.GetEnumerator();
        private DocsEnum? _docs;

        public DocVersion? Find(AtomicReader current, BytesRef id)
        {
            if (_terms is null || !_terms.SeekExact(id))
            {
                return null;
            }

            _docs = _terms.Docs(current.LiveDocs, _docs, DocsFlags.NONE);
            var doc = _docs?.NextDoc() ?? DocIdSetIterator.NO_MORE_DOCS;
            if (doc == DocIdSetIterator.NO_MORE_DOCS)
            {
                return null;
            }

            return new DocVersion(
                current.GetNumericDocValues(MetaFields.Version).Get(doc),
                current.GetNumericDocValues(MetaFields.SeqNo).Get(doc),
                current.GetNumericDocValues(MetaFields.PrimaryTerm).Get(doc),
                false);
        }
    }
}
