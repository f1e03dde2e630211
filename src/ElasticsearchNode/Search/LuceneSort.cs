using System.Globalization;
using System.Text.Json.Nodes;
using Cloud.ElasticsearchNode.Errors;
using Cloud.ElasticsearchNode.Mapping;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace Cloud.ElasticsearchNode.Search;

/// <summary>
/// Builds Lucene sorts from Elasticsearch sort specs against one index's mappings (missing values last
/// by default, in either order), and converts sort values between Lucene's boxed types and plain
/// long / double / string (what responses show and what <c>search_after</c> sends back).
/// </summary>
internal static class LuceneSort
{
    public static Sort Build(IReadOnlyList<SortSpec> specs, TypeMapping mapping, bool docTiebreak)
    {
        var fields = new List<SortField>();
        foreach (var spec in specs.Count == 0 ? [SortSpec.ByScore] : specs)
        {
            fields.Add(Field(spec, mapping));
        }

        if (docTiebreak && !specs.Any(s => s.Field is SortSpec.Doc or SortSpec.ShardDoc))
        {
            fields.Add(SortField.FIELD_DOC);
        }

        return new Sort([.. fields]);
    }

    private static SortField Field(SortSpec spec, TypeMapping mapping)
    {
        switch (spec.Field)
        {
            case SortSpec.Score:
                return new SortField(null, SortFieldType.SCORE, !spec.Descending);
            case SortSpec.Doc or SortSpec.ShardDoc:
                return new SortField(null, SortFieldType.DOC, spec.Descending);
        }

        var type = mapping.Resolve(spec.Field)?.Type ?? FieldTypes.Long;
        var missingFirst = spec.MissingFirst ^ spec.Descending;
        if (type == FieldTypes.Text)
        {
            throw ElasticsearchException.IllegalArgument(
                $"Text fields are not optimised for operations that require per-document field data like aggregations and sorting, so these operations are disabled by default. Please use a keyword field instead. Alternatively, set fielddata=true on [{spec.Field}] in order to load field data by uninverting the inverted index. Note that this can use significant memory.");
        }

        if (FieldTypes.IsKeywordLike(type))
        {
            var keyword = new SortField(MetaFields.SortPrefix + spec.Field, SortFieldType.STRING, spec.Descending);
            keyword.SetMissingValue(missingFirst ? SortField.STRING_FIRST : SortField.STRING_LAST);
            return keyword;
        }

        if (FieldTypes.IsFloating(type))
        {
            var floating = new SortField(spec.Field, SortFieldType.DOUBLE, spec.Descending);
            floating.SetMissingValue(missingFirst ? double.NegativeInfinity : double.PositiveInfinity);
            return floating;
        }

        var integral = new SortField(spec.Field, SortFieldType.INT64, spec.Descending);
        integral.SetMissingValue(missingFirst ? long.MinValue : long.MaxValue);
        return integral;
    }

    /// <summary>Lucene's sort values as plain values, without the doc tiebreak.</summary>
    public static object?[] Normalize(Sort sort, object?[]? values, int userFields)
    {
        var result = new object?[userFields];
        for (var i = 0; i < userFields && values is not null && i < values.Length; i++)
        {
            result[i] = values[i] switch
            {
                null => null,
                BytesRef bytes => bytes.Utf8ToString(),
                J2N.Numerics.Number number when sort.GetSort()[i].Type is SortFieldType.INT64 or SortFieldType.INT32 or SortFieldType.DOC => number.ToInt64(),
                J2N.Numerics.Number number => number.ToDouble(),
                IConvertible convertible when sort.GetSort()[i].Type is SortFieldType.INT64 or SortFieldType.INT32 or SortFieldType.DOC => convertible.ToInt64(CultureInfo.InvariantCulture),
                IConvertible convertible => convertible.ToDouble(CultureInfo.InvariantCulture),
                var other => other.ToString(),
            };

            if (result[i] is long l && (l == long.MaxValue || l == long.MinValue))
            {
                result[i] = l;
            }
        }

        return result;
    }

    /// <summary>The Lucene "after" position for user-given <c>search_after</c> values (ties with it are excluded).</summary>
    public static FieldDoc After(Sort sort, JsonArray values)
    {
        var fields = sort.GetSort();
        var boxed = new object?[fields.Length];
        var userFields = fields.Length - (fields[^1].Type == SortFieldType.DOC && fields.Length > values.Count ? 1 : 0);
        if (values.Count != userFields)
        {
            throw ElasticsearchException.IllegalArgument($"search_after has {values.Count} value(s) but sort has {userFields}.");
        }

        var score = float.NaN;
        for (var i = 0; i < fields.Length; i++)
        {
            if (i >= userFields)
            {
                boxed[i] = J2N.Numerics.Int32.GetInstance(int.MaxValue);
                continue;
            }

            var value = values[i];
            var text = value is null ? null : QueryTranslator.ScalarText(value);
            boxed[i] = fields[i].Type switch
            {
                SortFieldType.STRING => text is null ? null : new BytesRef(text),
                SortFieldType.INT64 => J2N.Numerics.Int64.GetInstance(long.Parse(text ?? "0", NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)),
                SortFieldType.DOUBLE => J2N.Numerics.Double.GetInstance(double.Parse(text ?? "0", NumberStyles.Float, CultureInfo.InvariantCulture)),
                SortFieldType.SCORE => J2N.Numerics.Single.GetInstance(float.Parse(text ?? "0", NumberStyles.Float, CultureInfo.InvariantCulture)),
                SortFieldType.DOC => J2N.Numerics.Int32.GetInstance(int.Parse(text ?? "0", NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)),
                _ => null,
            };
            if (fields[i].Type == SortFieldType.SCORE)
            {
                score = ((J2N.Numerics.Single)boxed[i]!).ToSingle();
            }
        }

        return new FieldDoc(int.MaxValue, score, boxed);
    }
}
