using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Cloud.ElasticsearchNode.Errors;

namespace Cloud.ElasticsearchNode.Mapping;

/// <summary>
/// An index's mappings (<c>{"dynamic": ..., "properties": {...}}</c>): parsed from and rendered to
/// Elasticsearch's JSON, merged with additions (new fields only; a type never changes), and looked
/// up by dotted path including sub-fields.
/// </summary>
internal sealed record TypeMapping
{
    private FrozenDictionary<string, FieldMapping>? _byPath;

    public static TypeMapping Empty { get; } = new();

    /// <summary><c>true</c> (add new fields), <c>false</c> (keep them in the source only) or <c>strict</c> (reject).</summary>
    public string Dynamic { get; init; } = "true";

    public ImmutableSortedDictionary<string, FieldMapping> Properties { get; init; } = ImmutableSortedDictionary<string, FieldMapping>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>Every leaf and object field by its full dotted path, sub-fields included (<c>title.keyword</c>).</summary>
    public FrozenDictionary<string, FieldMapping> ByPath => _byPath ??= Flatten();

    public FieldMapping? Resolve(string path) => ByPath.GetValueOrDefault(path);

    public static TypeMapping Parse(JsonNode? node)
    {
        if (node is null)
        {
            return Empty;
        }

        if (node is not JsonObject root)
        {
            throw ElasticsearchException.MapperParsing("Failed to parse mapping: mappings must be an object");
        }

        // Elasticsearch 6 style bodies wrap the mapping in a type name; accept "_doc".
        if (root.Count == 1 && root["_doc"] is JsonObject wrapped)
        {
            root = wrapped;
        }

        var dynamic = "true";
        var properties = ImmutableSortedDictionary.CreateBuilder<string, FieldMapping>(StringComparer.Ordinal);
        foreach (var (key, value) in root)
        {
            switch (key)
            {
                case "dynamic":
                    dynamic = value?.ToString().ToLowerInvariant() switch
                    {
                        "true" => "true",
                        "false" => "false",
                        "strict" => "strict",
                        var other => throw ElasticsearchException.MapperParsing($"Failed to parse mapping: unknown dynamic value [{other}]"),
                    };
                    break;
                case "properties":
                    ParseProperties(value, "", properties);
                    break;
                case "_source" or "_routing" or "_meta" or "dynamic_templates" or "date_detection" or "numeric_detection":
                    // Accepted for compatibility; this node always keeps the source and detects dates.
                    break;
                default:
                    throw ElasticsearchException.MapperParsing($"Failed to parse mapping: Root mapping definition has unsupported parameters:  [{key} : {value?.ToJsonString()}]");
            }
        }

        return new TypeMapping { Dynamic = dynamic, Properties = properties.ToImmutable() };
    }

    public JsonObject ToJson()
    {
        var json = new JsonObject();
        if (Dynamic != "true")
        {
            json["dynamic"] = Dynamic;
        }

        if (Properties.Count > 0)
        {
            json["properties"] = PropertiesJson(Properties);
        }

        return json;
    }

    /// <summary>Adds the fields of <paramref name="update"/>; a field already mapped with another type is an error.</summary>
    public TypeMapping Merge(TypeMapping update)
    {
        ArgumentNullException.ThrowIfNull(update);
        return new TypeMapping
        {
            Dynamic = update.Dynamic != "true" ? update.Dynamic : Dynamic,
            Properties = MergeProperties(Properties, update.Properties, ""),
        };
    }

    /// <summary>This mapping with one more field at a dotted path, creating the objects on the way.</summary>
    public TypeMapping WithField(string path, FieldMapping field) =>
        this with { Properties = Insert(Properties, path.Split('.'), 0, field) };

    private static ImmutableSortedDictionary<string, FieldMapping> Insert(ImmutableSortedDictionary<string, FieldMapping> properties, string[] parts, int at, FieldMapping field)
    {
        if (at == parts.Length - 1)
        {
            return properties.SetItem(parts[at], field);
        }

        var parent = properties.GetValueOrDefault(parts[at]) ?? new FieldMapping(FieldTypes.Object);
        return properties.SetItem(parts[at], parent with { Properties = Insert(parent.Properties, parts, at + 1, field) });
    }

    private static ImmutableSortedDictionary<string, FieldMapping> MergeProperties(
        ImmutableSortedDictionary<string, FieldMapping> current, ImmutableSortedDictionary<string, FieldMapping> update, string prefix)
    {
        var merged = current;
        foreach (var (name, field) in update)
        {
            var path = prefix + name;
            if (!current.TryGetValue(name, out var existing))
            {
                merged = merged.SetItem(name, field);
                continue;
            }

            if (existing.Type != field.Type)
            {
                throw ElasticsearchException.IllegalArgument($"mapper [{path}] cannot be changed from type [{existing.Type}] to [{field.Type}]");
            }

            merged = merged.SetItem(name, existing with
            {
                Properties = MergeProperties(existing.Properties, field.Properties, path + "."),
                Fields = MergeProperties(existing.Fields, field.Fields, path + "."),
            });
        }

        return merged;
    }

    private static void ParseProperties(JsonNode? node, string prefix, ImmutableSortedDictionary<string, FieldMapping>.Builder into)
    {
        if (node is not JsonObject properties)
        {
            throw ElasticsearchException.MapperParsing($"Failed to parse mapping: properties of [{prefix.TrimEnd('.')}] must be an object");
        }

        foreach (var (name, value) in properties)
        {
            if (name.Length == 0 || MetaFields.IsMeta(name))
            {
                throw ElasticsearchException.MapperParsing($"Field [{prefix}{name}] is defined more than once or is a metadata field");
            }

            into[name] = ParseField(value, prefix + name);
        }
    }

    private static FieldMapping ParseField(JsonNode? node, string path)
    {
        if (node is not JsonObject definition)
        {
            throw ElasticsearchException.MapperParsing($"Expected map for property [fields] on field [{path}] but got a class java.lang.String");
        }

        var type = definition["type"]?.ToString() ?? (definition["properties"] is not null ? FieldTypes.Object : null)
            ?? throw ElasticsearchException.MapperParsing($"No type specified for field [{path}]");
        if (!FieldTypes.IsKnown(type))
        {
            throw ElasticsearchException.MapperParsing($"No handler for type [{type}] declared on field [{path}]");
        }

        var field = new FieldMapping(type);
        foreach (var (key, value) in definition)
        {
            switch (key)
            {
                case "type":
                    break;
                case "properties":
                    var properties = ImmutableSortedDictionary.CreateBuilder<string, FieldMapping>(StringComparer.Ordinal);
                    ParseProperties(value, path + ".", properties);
                    field = field with { Properties = properties.ToImmutable() };
                    break;
                case "fields":
                    var fields = ImmutableSortedDictionary.CreateBuilder<string, FieldMapping>(StringComparer.Ordinal);
                    ParseProperties(value, path + ".", fields);
                    field = field with { Fields = fields.ToImmutable() };
                    break;
                case "ignore_above":
                    field = field with { IgnoreAbove = value is JsonValue v && v.TryGetValue<int>(out var limit) ? limit : throw ElasticsearchException.MapperParsing($"[ignore_above] of [{path}] must be a number") };
                    break;
                case "analyzer" or "search_analyzer":
                    var analyzer = value?.ToString() ?? "standard";
                    if (!AnalyzerRegistry.IsKnown(analyzer))
                    {
                        throw ElasticsearchException.MapperParsing($"Failed to parse mapping: analyzer [{analyzer}] has not been configured in mappings");
                    }

                    field = field with { Analyzer = analyzer };
                    break;
                case "format":
                    field = field with { Format = value?.ToString() };
                    break;
                case "index":
                    field = field with { Index = value?.GetValueKind() != System.Text.Json.JsonValueKind.False };
                    break;
                case "doc_values" or "store" or "norms" or "null_value" or "coerce" or "dynamic" or "enabled" or "copy_to" or "similarity" or "boost" or "eager_global_ordinals" or "fielddata" or "index_options" or "scaling_factor" or "ignore_malformed":
                    break;
                default:
                    throw ElasticsearchException.MapperParsing($"unknown parameter [{key}] on mapper [{path}] of type [{type}]");
            }
        }

        return field;
    }

    private static JsonObject PropertiesJson(ImmutableSortedDictionary<string, FieldMapping> properties)
    {
        var json = new JsonObject();
        foreach (var (name, field) in properties)
        {
            var definition = new JsonObject();
            if (field.Type != FieldTypes.Object || field.Properties.Count == 0)
            {
                definition["type"] = field.Type;
            }

            if (field.Analyzer is { } analyzer)
            {
                definition["analyzer"] = analyzer;
            }

            if (field.Format is { } format)
            {
                definition["format"] = format;
            }

            if (field.IgnoreAbove is { } ignoreAbove)
            {
                definition["ignore_above"] = ignoreAbove;
            }

            if (!field.Index)
            {
                definition["index"] = false;
            }

            if (field.Fields.Count > 0)
            {
                definition["fields"] = PropertiesJson(field.Fields);
            }

            if (field.Properties.Count > 0)
            {
                definition["properties"] = PropertiesJson(field.Properties);
            }

            json[name] = definition;
        }

        return json;
    }

    private FrozenDictionary<string, FieldMapping> Flatten()
    {
        var all = new Dictionary<string, FieldMapping>(StringComparer.Ordinal);
        void Walk(ImmutableSortedDictionary<string, FieldMapping> properties, string prefix)
        {
            foreach (var (name, field) in properties)
            {
                var path = prefix + name;
                all[path] = field;
                Walk(field.Properties, path + ".");
                Walk(field.Fields, path + ".");
            }
        }

        Walk(Properties, "");
        return all.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
