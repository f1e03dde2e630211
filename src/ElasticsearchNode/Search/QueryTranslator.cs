using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cloud.ElasticsearchNode.Errors;
using Cloud.ElasticsearchNode.Mapping;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace Cloud.ElasticsearchNode.Search;

/// <summary>
/// Translates Elasticsearch's query DSL into Lucene queries against one index's mappings: full-text
/// queries analyze their text with the field's analyzer, term-level queries use the exact value in
/// the field's indexed form (numbers and dates as Lucene numerics).
/// </summary>
internal sealed partial class QueryTranslator(TypeMapping mapping, Analyzer analyzer)
{
    public Query Translate(JsonNode? node)
    {
        if (node is null)
        {
            return new MatchAllDocsQuery();
        }

        if (node is not JsonObject query || query.Count != 1)
        {
            throw ElasticsearchException.Parsing(node is JsonObject { Count: 0 } ? "query malformed, empty clause found" : "[_na] query malformed, must start with start_object");
        }

        var (kind, body) = query.First();
        return kind switch
        {
            "match_all" => Boosted(new MatchAllDocsQuery(), body),
            "match_none" => new BooleanQuery(),
            "match" => Match(body, phrase: false),
            "match_phrase" => Match(body, phrase: true),
            "multi_match" => MultiMatch(body),
            "term" => Term(body),
            "terms" => Terms(body),
            "range" => Range(body),
            "bool" => Bool(body),
            "exists" => Exists(body),
            "ids" => Ids(body),
            "prefix" => FieldValue(body, "prefix", (field, value) => new PrefixQuery(new Term(field, value))),
            "wildcard" => FieldValue(body, "wildcard", (field, value) => new WildcardQuery(new Term(field, value))),
            "query_string" => QueryString(body),
            "simple_query_string" => QueryString(body),
            "constant_score" => ConstantScore(body),
            "dis_max" => DisMax(body),
            _ => throw ElasticsearchException.Parsing($"unknown query [{kind}]"),
        };
    }

    private Query Match(JsonNode? body, bool phrase)
    {
        var (field, options) = SingleField(body, phrase ? "match_phrase" : "match");
        var text = options is JsonObject o ? o["query"] : options;
        if (text is null)
        {
            throw ElasticsearchException.Parsing($"[{(phrase ? "match_phrase" : "match")}] requires query value");
        }

        var @operator = (options as JsonObject)?["operator"]?.ToString().ToLowerInvariant() ?? "or";
        var minimumShouldMatch = (options as JsonObject)?["minimum_should_match"]?.ToString();
        var query = MatchField(field, text, @operator == "and", minimumShouldMatch, phrase);
        return Boosted(query, options);
    }

    private Query MatchField(string field, JsonNode text, bool all, string? minimumShouldMatch, bool phrase)
    {
        var fieldMapping = mapping.Resolve(field);
        if (fieldMapping is null)
        {
            return new BooleanQuery();
        }

        if (fieldMapping.Type != FieldTypes.Text)
        {
            return ExactQuery(field, fieldMapping, text);
        }

        var tokens = Analyze(field, ScalarText(text));
        if (tokens.Count == 0)
        {
            return new BooleanQuery();
        }

        if (phrase)
        {
            var phraseQuery = new PhraseQuery();
            foreach (var (token, position) in tokens)
            {
                phraseQuery.Add(new Term(field, token), position);
            }

            return phraseQuery;
        }

        if (tokens.Count == 1)
        {
            return new TermQuery(new Term(field, tokens[0].Token));
        }

        var boolean = new BooleanQuery(disableCoord: false);
        foreach (var (token, _) in tokens)
        {
            boolean.Add(new TermQuery(new Term(field, token)), all ? Occur.MUST : Occur.SHOULD);
        }

        if (!all && minimumShouldMatch is not null)
        {
            boolean.MinimumNumberShouldMatch = MinimumShouldMatch(minimumShouldMatch, tokens.Count);
        }

        return boolean;
    }

    private Query MultiMatch(JsonNode? body)
    {
        if (body is not JsonObject options || options["query"] is not { } text)
        {
            throw ElasticsearchException.Parsing("[multi_match] requires query value");
        }

        var fields = options["fields"] is JsonArray list ? list.Select(f => f!.ToString()).ToList() : ["*"];
        var all = options["operator"]?.ToString().ToLowerInvariant() == "and";
        var phrase = options["type"]?.ToString() is "phrase";
        var tieBreaker = options["tie_breaker"]?.GetValue<double>() ?? 0;
        var disjunction = new DisjunctionMaxQuery((float)tieBreaker);
        foreach (var (field, boost) in ExpandFields(fields))
        {
            var query = MatchField(field, text, all, options["minimum_should_match"]?.ToString(), phrase);
            query.Boost = boost;
            disjunction.Add(query);
        }

        return Boosted(disjunction, options);
    }

    private Query Term(JsonNode? body)
    {
        var (field, options) = SingleField(body, "term");
        var value = options is JsonObject o ? o["value"] ?? throw ElasticsearchException.Parsing("[term] query does not support value") : options;
        return Boosted(ExactOrNone(field, value!), options);
    }

    private Query Terms(JsonNode? body)
    {
        if (body is not JsonObject obj)
        {
            throw ElasticsearchException.Parsing("[terms] query malformed, no start_object after query name");
        }

        var entry = obj.FirstOrDefault(p => p.Key != "boost");
        if (entry.Value is not JsonArray values)
        {
            throw ElasticsearchException.Parsing("[terms] query does not support [" + entry.Key + "]");
        }

        var boolean = new BooleanQuery(disableCoord: true);
        foreach (var value in values)
        {
            boolean.Add(ExactOrNone(entry.Key, value!), Occur.SHOULD);
        }

        return Boosted(new ConstantScoreQuery(boolean), obj);
    }

    private Query Range(JsonNode? body)
    {
        var (field, options) = SingleField(body, "range");
        if (options is not JsonObject bounds)
        {
            throw ElasticsearchException.Parsing("[range] query malformed, no start_object after query name");
        }

        var fieldMapping = mapping.Resolve(field);
        if (fieldMapping is null)
        {
            return new BooleanQuery();
        }

        JsonNode? lower = bounds["gte"] ?? bounds["gt"] ?? bounds["from"];
        JsonNode? upper = bounds["lte"] ?? bounds["lt"] ?? bounds["to"];
        var includeLower = bounds["gt"] is null && (bounds["include_lower"]?.GetValue<bool>() ?? true);
        var includeUpper = bounds["lt"] is null && (bounds["include_upper"]?.GetValue<bool>() ?? true);
        Query query;
        if (FieldTypes.IsIntegral(fieldMapping.Type))
        {
            query = NumericRangeQuery.NewInt64Range(field, lower is null ? null : ToLong(field, fieldMapping, lower, roundUp: !includeLower),
                upper is null ? null : ToLong(field, fieldMapping, upper, roundUp: includeUpper), includeLower, includeUpper);
        }
        else if (FieldTypes.IsFloating(fieldMapping.Type))
        {
            query = NumericRangeQuery.NewDoubleRange(field, lower is null ? null : ToDouble(field, lower), upper is null ? null : ToDouble(field, upper), includeLower, includeUpper);
        }
        else
        {
            query = TermRangeQuery.NewStringRange(field, lower is null ? null : ScalarText(lower), upper is null ? null : ScalarText(upper), includeLower, includeUpper);
        }

        return Boosted(new ConstantScoreQuery(query), bounds);
    }

    private Query Bool(JsonNode? body)
    {
        if (body is not JsonObject clauses)
        {
            throw ElasticsearchException.Parsing("[bool] query malformed, no start_object after query name");
        }

        var boolean = new BooleanQuery(disableCoord: true);
        var scoring = 0;
        var shoulds = 0;
        foreach (var (name, value) in clauses)
        {
            switch (name)
            {
                case "must":
                    foreach (var clause in Clauses(value))
                    {
                        boolean.Add(Translate(clause), Occur.MUST);
                        scoring++;
                    }

                    break;
                case "filter":
                    foreach (var clause in Clauses(value))
                    {
                        // Lucene 4.8 has no FILTER clause: a zero-boost constant score matches without scoring.
                        boolean.Add(new ConstantScoreQuery(Translate(clause)) { Boost = 0 }, Occur.MUST);
                        scoring++;
                    }

                    break;
                case "should":
                    foreach (var clause in Clauses(value))
                    {
                        boolean.Add(Translate(clause), Occur.SHOULD);
                        shoulds++;
                    }

                    break;
                case "must_not":
                    foreach (var clause in Clauses(value))
                    {
                        boolean.Add(Translate(clause), Occur.MUST_NOT);
                    }

                    break;
                case "minimum_should_match" or "boost" or "_name" or "adjust_pure_negative":
                    break;
                default:
                    throw ElasticsearchException.Parsing($"[bool] query does not support [{name}]");
            }
        }

        if (clauses["minimum_should_match"] is { } minimum)
        {
            boolean.MinimumNumberShouldMatch = MinimumShouldMatch(minimum.ToString(), shoulds);
        }
        else if (scoring > 0 && shoulds > 0)
        {
            boolean.MinimumNumberShouldMatch = 0;
        }

        if (scoring == 0 && shoulds == 0)
        {
            // Only must_not (or nothing): Elasticsearch matches every other document.
            boolean.Add(new MatchAllDocsQuery(), Occur.MUST);
        }

        return Boosted(boolean, clauses);
    }

    private Query Exists(JsonNode? body)
    {
        var field = (body as JsonObject)?["field"]?.ToString() ?? throw ElasticsearchException.Parsing("[exists] must be provided with a [field]");
        var matches = mapping.ByPath.Keys.Where(p => IndexResolverMatches(field, p)).ToList();
        var boolean = new BooleanQuery(disableCoord: true);
        foreach (var path in matches)
        {
            boolean.Add(new TermQuery(new Term(MetaFields.FieldNames, path)), Occur.SHOULD);
        }

        return Boosted(new ConstantScoreQuery(boolean), body);
    }

    private static Query Ids(JsonNode? body)
    {
        var values = (body as JsonObject)?["values"] as JsonArray ?? throw ElasticsearchException.Parsing("[ids] query malformed, [values] must be an array");
        var boolean = new BooleanQuery(disableCoord: true);
        foreach (var id in values)
        {
            boolean.Add(new TermQuery(new Term(MetaFields.Id, id!.ToString())), Occur.SHOULD);
        }

        return Boosted(new ConstantScoreQuery(boolean), body);
    }

    private Query FieldValue(JsonNode? body, string kind, Func<string, string, Query> build)
    {
        var (field, options) = SingleField(body, kind);
        var value = options is JsonObject o ? o["value"] ?? o[kind] : options;
        if (value is null)
        {
            throw ElasticsearchException.Parsing($"[{kind}] requires a value");
        }

        var text = ScalarText(value);
        if ((options as JsonObject)?["case_insensitive"]?.GetValue<bool>() == true || mapping.Resolve(field)?.Type == FieldTypes.Text)
        {
            text = text.ToLowerInvariant();
        }

        return Boosted(build(field, text), options);
    }

    private Query QueryString(JsonNode? body)
    {
        if (body is not JsonObject options || options["query"]?.ToString() is not { } text)
        {
            throw ElasticsearchException.Parsing("[query_string] requires query value");
        }

        IReadOnlyList<string> fields = options["fields"] is JsonArray list
            ? [.. ExpandFields(list.Select(f => f!.ToString())).Select(f => f.Field)]
            : options["default_field"]?.ToString() is { } defaultField && defaultField != "*"
                ? [defaultField]
                : [.. mapping.ByPath.Where(f => f.Value.Type is FieldTypes.Text or FieldTypes.Keyword).Select(f => f.Key)];
        var parser = new MappingQueryParser(mapping, fields.Count == 0 ? ["*"] : fields, analyzer, this);
        if (options["default_operator"]?.ToString().ToUpperInvariant() == "AND")
        {
            parser.DefaultOperator = Lucene.Net.QueryParsers.Classic.Operator.AND;
        }

        parser.AllowLeadingWildcard = options["allow_leading_wildcard"]?.GetValue<bool>() ?? true;
        try
        {
            return Boosted(parser.Parse(text), options);
        }
        catch (Lucene.Net.QueryParsers.Classic.ParseException ex)
        {
            throw new ElasticsearchException("query_shard_exception", $"Failed to parse query [{text}]", 400, inner: ex);
        }
    }

    private Query ConstantScore(JsonNode? body)
    {
        var filter = (body as JsonObject)?["filter"] ?? throw ElasticsearchException.Parsing("[constant_score] requires a 'filter' element");
        return Boosted(new ConstantScoreQuery(Translate(filter)), body);
    }

    private Query DisMax(JsonNode? body)
    {
        var options = body as JsonObject ?? throw ElasticsearchException.Parsing("[dis_max] malformed");
        var disjunction = new DisjunctionMaxQuery((float)(options["tie_breaker"]?.GetValue<double>() ?? 0));
        foreach (var clause in Clauses(options["queries"]))
        {
            disjunction.Add(Translate(clause));
        }

        return Boosted(disjunction, options);
    }

    /// <summary>A term-level query on a field's indexed form; a value of the wrong type is a 400, as in Elasticsearch.</summary>
    internal static Query ExactQuery(string field, FieldMapping fieldMapping, JsonNode value)
    {
        if (FieldTypes.IsIntegral(fieldMapping.Type))
        {
            var number = ToLong(field, fieldMapping, value, roundUp: false);
            return NumericRangeQuery.NewInt64Range(field, number, number, true, true);
        }

        if (FieldTypes.IsFloating(fieldMapping.Type))
        {
            var number = ToDouble(field, value);
            return NumericRangeQuery.NewDoubleRange(field, number, number, true, true);
        }

        if (fieldMapping.Type == FieldTypes.Boolean)
        {
            var text = ScalarText(value);
            return new TermQuery(new Term(field, text is "true" or "false" ? text
                : throw new ElasticsearchException("query_shard_exception", $"failed to create query: Can't parse boolean value [{text}], expected [true] or [false]", 400)));
        }

        return new TermQuery(new Term(field, ScalarText(value)));
    }

    private Query ExactOrNone(string field, JsonNode value) =>
        field == MetaFields.Id ? new TermQuery(new Term(MetaFields.Id, ScalarText(value)))
        : mapping.Resolve(field) is { } fieldMapping ? ExactQuery(field, fieldMapping, value) : new BooleanQuery();

    private List<(string Token, int Position)> Analyze(string field, string text)
    {
        var tokens = new List<(string, int)>();
        using var stream = analyzer.GetTokenStream(field, text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        var increment = stream.AddAttribute<IPositionIncrementAttribute>();
        stream.Reset();
        var position = -1;
        while (stream.IncrementToken())
        {
            position += increment.PositionIncrement;
            tokens.Add((term.ToString(), position));
        }

        stream.End();
        return tokens;
    }

    private IEnumerable<(string Field, float Boost)> ExpandFields(IEnumerable<string> patterns)
    {
        foreach (var pattern in patterns)
        {
            var caret = pattern.IndexOf('^', StringComparison.Ordinal);
            var name = caret < 0 ? pattern : pattern[..caret];
            var boost = caret < 0 ? 1f : float.Parse(pattern[(caret + 1)..], CultureInfo.InvariantCulture);
            if (!name.Contains('*', StringComparison.Ordinal))
            {
                yield return (name, boost);
                continue;
            }

            foreach (var path in mapping.ByPath.Where(f => f.Value.Type is FieldTypes.Text or FieldTypes.Keyword && IndexResolverMatches(name, f.Key)).Select(f => f.Key))
            {
                yield return (path, boost);
            }
        }
    }

    private static bool IndexResolverMatches(string pattern, string path) =>
        Indices.IndexResolver.Matches(pattern, path) || path.StartsWith(pattern + ".", StringComparison.Ordinal);

    private static long ToLong(string field, FieldMapping fieldMapping, JsonNode value, bool roundUp)
    {
        _ = roundUp;
        if (fieldMapping.Type == FieldTypes.Date)
        {
            if (value is JsonValue v && v.GetValueKind() == JsonValueKind.Number)
            {
                return v.GetValue<long>();
            }

            var text = ScalarText(value);
            if (DateMath.TryResolve(text, out var millis) || DateFormats.TryParse(text, out millis))
            {
                return millis;
            }

            throw new ElasticsearchException("parse_exception", $"failed to parse date field [{text}] with format [strict_date_optional_time||epoch_millis]", 400);
        }

        var raw = ScalarText(value);
        if (long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        if (double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var fraction))
        {
            return (long)Math.Floor(fraction);
        }

        throw new ElasticsearchException("query_shard_exception", $"failed to create query: For input string: \"{raw}\"", 400) { ResourceId = field };
    }

    private static double ToDouble(string field, JsonNode value)
    {
        var raw = ScalarText(value);
        return double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new ElasticsearchException("query_shard_exception", $"failed to create query: For input string: \"{raw}\"", 400) { ResourceId = field };
    }

    internal static string ScalarText(JsonNode value) => value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : value.ToJsonString();

    private static (string Field, JsonNode? Options) SingleField(JsonNode? body, string kind)
    {
        if (body is not JsonObject obj)
        {
            throw ElasticsearchException.Parsing($"[{kind}] query malformed, no start_object after query name");
        }

        var fields = obj.Where(p => p.Key is not ("boost" or "_name")).ToList();
        if (fields.Count != 1)
        {
            throw ElasticsearchException.Parsing($"[{kind}] query doesn't support multiple fields, found [{string.Join("] and [", fields.Select(f => f.Key))}]");
        }

        return (fields[0].Key, fields[0].Value);
    }

    private static List<JsonNode?> Clauses(JsonNode? value) => value switch
    {
        JsonArray array => [.. array],
        JsonObject obj => [obj],
        null => [],
        _ => throw ElasticsearchException.Parsing("[bool] query clauses must be objects or arrays"),
    };

    private static int MinimumShouldMatch(string spec, int optional)
    {
        spec = spec.Trim();
        if (spec.EndsWith('%'))
        {
            var percent = int.Parse(spec[..^1], CultureInfo.InvariantCulture);
            var count = (int)(optional * Math.Abs(percent) / 100.0);
            return percent < 0 ? optional - count : count;
        }

        var number = int.Parse(spec, CultureInfo.InvariantCulture);
        return number < 0 ? Math.Max(0, optional + number) : Math.Min(number, optional);
    }

    private static Query Boosted(Query query, JsonNode? options)
    {
        if (options is JsonObject obj && obj["boost"] is JsonValue boost && boost.TryGetValue<double>(out var value))
        {
            query.Boost = (float)value;
        }

        return query;
    }
}
