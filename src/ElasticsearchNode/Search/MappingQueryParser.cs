using System.Text.Json.Nodes;
using Cloud.ElasticsearchNode.Mapping;
using Lucene.Net.Analysis;
using Lucene.Net.QueryParsers.Classic;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace Cloud.ElasticsearchNode.Search;

/// <summary>
/// Lucene's classic query parser (what <c>query_string</c> is built on), taught the index's mappings:
/// numeric, date and exact-value fields get term-level queries in their indexed form instead of analyzed text.
/// </summary>
internal sealed class MappingQueryParser(TypeMapping mapping, IReadOnlyList<string> fields, Analyzer analyzer, QueryTranslator translator)
    : MultiFieldQueryParser(LuceneVersion.LUCENE_48, [.. fields], analyzer)
{
    protected override Query GetFieldQuery(string field, string queryText, bool quoted)
    {
        if (field is not null && mapping.Resolve(field) is { } fieldMapping && fieldMapping.Type != FieldTypes.Text && fieldMapping.Type != FieldTypes.Object)
        {
            return QueryTranslator.ExactQuery(field, fieldMapping, JsonValue.Create(queryText));
        }

        return base.GetFieldQuery(field!, queryText, quoted);
    }

    protected override Query GetRangeQuery(string field, string part1, string part2, bool startInclusive, bool endInclusive)
    {
        if (field is not null && mapping.Resolve(field) is { } fieldMapping && FieldTypes.IsNumeric(fieldMapping.Type))
        {
            var range = new JsonObject
            {
                [startInclusive ? "gte" : "gt"] = part1 == "*" ? null : part1,
                [endInclusive ? "lte" : "lt"] = part2 == "*" ? null : part2,
            };
            foreach (var key in range.Where(p => p.Value is null).Select(p => p.Key).ToList())
            {
                range.Remove(key);
            }

            return translator.Translate(new JsonObject { ["range"] = new JsonObject { [field] = range } });
        }

        return base.GetRangeQuery(field!, part1, part2, startInclusive, endInclusive);
    }
}
