namespace Cloud.ElasticsearchNode.Mapping;

/// <summary>The mapping types this node supports, by Elasticsearch's names, and how each is indexed.</summary>
internal static class FieldTypes
{
    public const string Text = "text";
    public const string Keyword = "keyword";
    public const string Long = "long";
    public const string Integer = "integer";
    public const string Short = "short";
    public const string Byte = "byte";
    public const string Double = "double";
    public const string Float = "float";
    public const string HalfFloat = "half_float";
    public const string Boolean = "boolean";
    public const string Date = "date";
    public const string Object = "object";

    public static bool IsKnown(string type) => type is Text or Keyword or Long or Integer or Short or Byte or Double or Float
        or HalfFloat or Boolean or Date or Object;

    /// <summary>Whole numbers and dates: indexed as Lucene longs.</summary>
    public static bool IsIntegral(string type) => type is Long or Integer or Short or Byte or Date;

    public static bool IsFloating(string type) => type is Double or Float or HalfFloat;

    public static bool IsNumeric(string type) => IsIntegral(type) || IsFloating(type);

    /// <summary>Exact-value string types: indexed untokenized with doc values.</summary>
    public static bool IsKeywordLike(string type) => type is Keyword or Boolean;
}
