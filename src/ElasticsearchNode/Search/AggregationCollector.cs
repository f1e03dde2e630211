using Cloud.ElasticsearchNode.Errors;
using Cloud.ElasticsearchNode.Mapping;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace Cloud.ElasticsearchNode.Search;

/// <summary>
/// Collects every requested aggregation over the documents a query matches on one shard, reading doc
/// values: ordinals for keyword and boolean fields (counted per segment, resolved to terms once),
/// numbers for numeric and date fields.
/// </summary>
internal sealed class AggregationCollector : ICollector
{
    private readonly Source[] _sources;

    public AggregationCollector(IReadOnlyList<AggregationSpec> specs, TypeMapping mapping)
    {
        _sources = [.. specs.Select(spec => new Source(spec, mapping.Resolve(spec.Field)?.Type))];
        foreach (var source in _sources)
        {
            if (source.Type is FieldTypes.Text)
            {
                throw ElasticsearchException.IllegalArgument(
                    $"Text fields are not optimised for operations that require per-document field data like aggregations and sorting, so these operations are disabled by default. Please use a keyword field instead. Alternatively, set fielddata=true on [{source.Spec.Field}] in order to load field data by uninverting the inverted index. Note that this can use significant memory.");
            }
        }
    }

    public bool AcceptsDocsOutOfOrder => true;

    public IReadOnlyList<AggregationPartial> Finish()
    {
        foreach (var source in _sources)
        {
            source.FlushSegment();
        }

        return [.. _sources.Select(s => s.Partial)];
    }

    public void SetScorer(Scorer scorer)
    {
    }

    public void SetNextReader(AtomicReaderContext context)
    {
        foreach (var source in _sources)
        {
            source.FlushSegment();
            source.Open(context.AtomicReader);
        }
    }

    public void Collect(int doc)
    {
        foreach (var source in _sources)
        {
            source.Collect(doc);
        }
    }

    private sealed class Source(AggregationSpec spec, string? type)
    {
        private SortedSetDocValues? _ordinals;
        private long[]? _ordinalCounts;
        private NumericDocValues? _numbers;
        private IBits? _hasNumber;

        public AggregationSpec Spec { get; } = spec;

        public string? Type { get; } = type;

        public AggregationPartial Partial { get; } = new(spec, type);

        public void Open(AtomicReader reader)
        {
            _ordinals = null;
            _numbers = null;
            if (Type is null)
            {
                return;
            }

            if (FieldTypes.IsKeywordLike(Type))
            {
                _ordinals = reader.GetSortedSetDocValues(Spec.Field);
                _ordinalCounts = _ordinals is null ? null : new long[_ordinals.ValueCount];
            }
            else if (FieldTypes.IsNumeric(Type))
            {
                _numbers = reader.GetNumericDocValues(Spec.Field);
                _hasNumber = reader.GetDocsWithField(Spec.Field);
            }
        }

        public void Collect(int doc)
        {
            if (_ordinals is not null)
            {
                _ordinals.SetDocument(doc);
                long ordinal;
                while ((ordinal = _ordinals.NextOrd()) != SortedSetDocValues.NO_MORE_ORDS)
                {
                    _ordinalCounts![ordinal]++;
                }

                return;
            }

            if (_numbers is null || _hasNumber is null || !_hasNumber.Get(doc))
            {
                return;
            }

            var raw = _numbers.Get(doc);
            var floating = FieldTypes.IsFloating(Type!);
            var value = floating ? BitConverter.Int64BitsToDouble(raw) : raw;
            if (Spec.Kind == AggregationKind.Terms)
            {
                Partial.AddBucket(floating ? value : raw, 1);
            }
            else
            {
                Partial.AddValue(value);
            }
        }

        public void FlushSegment()
        {
            if (_ordinals is null || _ordinalCounts is null)
            {
                return;
            }

            var term = new BytesRef();
            for (var ordinal = 0; ordinal < _ordinalCounts.Length; ordinal++)
            {
                var count = _ordinalCounts[ordinal];
                if (count == 0)
                {
                    continue;
                }

                if (Spec.Kind == AggregationKind.Terms)
                {
                    _ordinals.LookupOrd(ordinal, term);
                    Partial.AddBucket(term.Utf8ToString(), count);
                }
                else
                {
                    // Only value_count is meaningful on strings: count the values.
                    for (var i = 0; i < count; i++)
                    {
                        Partial.AddValue(0);
                    }
                }
            }

            _ordinals = null;
            _ordinalCounts = null;
        }
    }
}
