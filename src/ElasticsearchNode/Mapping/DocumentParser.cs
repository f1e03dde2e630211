using System.Globalization;
using System.Text.Json;
using Cloud.ElasticsearchNode.Errors;
using Lucene.Net.Documents;
using Lucene.Net.Util;

namespace Cloud.ElasticsearchNode.Mapping;

/// <summary>
/// Turns a JSON source into Lucene fields by the index's mapping, inferring mappings for new fields the
/// way Elasticsearch's dynamic mapping does: strings become <c>text</c> with a <c>keyword</c> sub-field
/// (or <c>date</c> when they look like one), whole numbers <c>long</c>, fractions <c>float</c>,
/// <c>true</c>/<c>false</c> <c>boolean</c>, objects <c>object</c>.
/// </summary>
internal sealed class DocumentParser
{
    private readonly TypeMapping _mapping;
    private readonly string _id;
    private readonly Document _document = [];
    private readonly HashSet<string> _singleValued = new(StringComparer.Ordinal);
    private readonly HashSet<string> _fieldNames = new(StringComparer.Ordinal);
    private TypeMapping? _additions;

    private DocumentParser(TypeMapping mapping, string id)
    {
        _mapping = mapping;
        _id = id;
    }

    public static ParsedDocument Parse(TypeMapping mapping, string id, ReadOnlyMemory<byte> source)
    {
        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(source, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException ex)
        {
            throw ElasticsearchException.MapperParsing("failed to parse: " + ex.Message, ex);
        }

        using (json)
        {
            if (json.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw ElasticsearchException.MapperParsing("failed to parse, document is empty or not an object");
            }

            var parser = new DocumentParser(mapping, id);
            parser.ParseObject(json.RootElement, "", mapping.Dynamic);
            foreach (var name in parser._fieldNames)
            {
                parser._document.Add(new StringField(MetaFields.FieldNames, name, Field.Store.NO));
            }

            return new ParsedDocument(parser._document, parser._additions);
        }
    }

    private void ParseObject(JsonElement element, string prefix, string dynamic)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (property.Name.Length == 0 || (prefix.Length == 0 && MetaFields.IsMeta(property.Name)))
            {
                throw ElasticsearchException.MapperParsing(
                    $"Field [{property.Name}] is a metadata field and cannot be added inside a document. Use the index API request parameters.");
            }

            ParseValue(property.Value, prefix + property.Name, dynamic);
        }
    }

    private void ParseValue(JsonElement value, string path, string dynamic)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null or JsonValueKind.Undefined:
                return;
            case JsonValueKind.Array:
                foreach (var item in value.EnumerateArray())
                {
                    ParseValue(item, path, dynamic);
                }

                return;
        }

        var field = MappingOf(path) ?? Infer(value, path, dynamic);
        if (field is null)
        {
            return;
        }

        if (value.ValueKind == JsonValueKind.Object)
        {
            if (field.Type != FieldTypes.Object)
            {
                throw ElasticsearchException.MapperParsing(
                    $"failed to parse field [{path}] of type [{field.Type}] in document with id '{_id}'. Preview of field's value: '{Preview(value)}'");
            }

            _fieldNames.Add(path);
            ParseObject(value, path + ".", dynamic);
            return;
        }

        if (field.Type == FieldTypes.Object)
        {
            throw ElasticsearchException.MapperParsing(
                $"object mapping for [{path}] tried to parse field [{path}] as object, but found a concrete value");
        }

        AddLeaf(field, path, value);
        foreach (var (name, sub) in field.Fields)
        {
            AddLeaf(sub, path + "." + name, value);
        }
    }

    private FieldMapping? MappingOf(string path) =>
        _mapping.Resolve(path) ?? _additions?.Resolve(path);

    private FieldMapping? Infer(JsonElement value, string path, string dynamic)
    {
        if (dynamic == "strict")
        {
            var parent = path.Contains('.', StringComparison.Ordinal) ? path[..path.LastIndexOf('.')] : "_doc";
            throw new ElasticsearchException("strict_dynamic_mapping_exception",
                $"[{parent}] mapping set to strict, dynamic introduction of [{path[(path.LastIndexOf('.') + 1)..]}] within [{parent}] is not allowed", 400);
        }

        if (dynamic == "false")
        {
            return null;
        }

        var field = value.ValueKind switch
        {
            JsonValueKind.Object => new FieldMapping(FieldTypes.Object),
            JsonValueKind.String when DateFormats.LooksLikeDate(value.GetString()!) => new FieldMapping(FieldTypes.Date),
            JsonValueKind.String => FieldMapping.DynamicString,
            JsonValueKind.Number when value.TryGetInt64(out _) => new FieldMapping(FieldTypes.Long),
            JsonValueKind.Number => new FieldMapping(FieldTypes.Float),
            JsonValueKind.True or JsonValueKind.False => new FieldMapping(FieldTypes.Boolean),
            _ => null,
        };
        if (field is not null)
        {
            _additions = (_additions ?? TypeMapping.Empty).WithField(path, field);
        }

        return field;
    }

    private void AddLeaf(FieldMapping field, string path, JsonElement value)
    {
        if (!field.Index)
        {
            return;
        }

        _fieldNames.Add(path);
        switch (field.Type)
        {
            case FieldTypes.Text:
                _document.Add(new TextField(path, AsString(value), Field.Store.NO));
                break;
            case FieldTypes.Keyword:
                var keyword = AsString(value);
                if (field.IgnoreAbove is { } limit && keyword.Length > limit)
                {
                    return;
                }

                AddExact(path, keyword);
                break;
            case FieldTypes.Boolean:
                AddExact(path, AsBoolean(value, path) ? "true" : "false");
                break;
            case FieldTypes.Date:
                AddLong(path, AsDate(value, path));
                break;
            case FieldTypes.Long or FieldTypes.Integer or FieldTypes.Short or FieldTypes.Byte:
                AddLong(path, AsLong(value, field.Type, path));
                break;
            default:
                var number = AsDouble(value, field.Type, path);
                _document.Add(new DoubleField(path, number, Field.Store.NO));
                if (_singleValued.Add(path))
                {
                    _document.Add(new DoubleDocValuesField(path, number));
                }

                break;
        }
    }

    private void AddExact(string path, string value)
    {
        _document.Add(new StringField(path, value, Field.Store.NO));
        _document.Add(new SortedSetDocValuesField(path, new BytesRef(value)));
        if (_singleValued.Add(path))
        {
            _document.Add(new SortedDocValuesField(MetaFields.SortPrefix + path, new BytesRef(value)));
        }
    }

    private void AddLong(string path, long value)
    {
        _document.Add(new Int64Field(path, value, Field.Store.NO));
        if (_singleValued.Add(path))
        {
            _document.Add(new NumericDocValuesField(path, value));
        }
    }

    private static string AsString(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Object => value.GetRawText(),
        _ => value.GetRawText(),
    };

    private bool AsBoolean(JsonElement value, string path) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String when value.GetString() is "true" => true,
        JsonValueKind.String when value.GetString() is "false" or "" => false,
        _ => throw Malformed(path, FieldTypes.Boolean, value),
    };

    private long AsDate(JsonElement value, string path)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var millis))
        {
            return millis;
        }

        if (value.ValueKind == JsonValueKind.String && DateFormats.TryParse(value.GetString()!, out millis))
        {
            return millis;
        }

        throw Malformed(path, FieldTypes.Date, value);
    }

    private long AsLong(JsonElement value, string type, string path)
    {
        if (value.ValueKind == JsonValueKind.Number)
        {
            if (value.TryGetInt64(out var whole))
            {
                return whole;
            }

            if (value.TryGetDouble(out var fraction) && Math.Abs(fraction) < 9.2e18)
            {
                return (long)fraction;
            }
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            var text = value.GetString()!;
            if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
            {
                return parsed;
            }

            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var fraction) && Math.Abs(fraction) < 9.2e18)
            {
                return (long)fraction;
            }
        }

        throw Malformed(path, type, value);
    }

    private double AsDouble(JsonElement value, string type, string path)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number))
        {
            return number;
        }

        if (value.ValueKind == JsonValueKind.String
            && double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out number))
        {
            return number;
        }

        throw Malformed(path, type, value);
    }

    private ElasticsearchException Malformed(string path, string type, JsonElement value) =>
        ElasticsearchException.MapperParsing(
            $"failed to parse field [{path}] of type [{type}] in document with id '{_id}'. Preview of field's value: '{Preview(value)}'");

    private static string Preview(JsonElement value)
    {
        var text = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
        return text.Length > 40 ? text[..40] : text;
    }
}
