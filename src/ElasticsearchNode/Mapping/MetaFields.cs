namespace Cloud.ElasticsearchNode.Mapping;

/// <summary>Lucene field names of the metadata every document carries (Elasticsearch's own names where it has them).</summary>
internal static class MetaFields
{
    public const string Id = "_id";
    public const string Source = "_source";
    public const string Routing = "_routing";
    public const string SeqNo = "_seq_no";
    public const string Version = "_version";
    public const string PrimaryTerm = "_primary_term";

    /// <summary>Every field path a document has a value for, so <c>exists</c> is one term query.</summary>
    public const string FieldNames = "_field_names";

    /// <summary>Prefix of the single-valued copy of a keyword field that sorting reads (aggregations read the multi-valued one).</summary>
    public const string SortPrefix = "_sort.";

    public static bool IsMeta(string name) => name.Length > 0 && name[0] == '_';
}
