namespace Cloud.ElasticsearchNode.Documents;

/// <summary>The kinds of write a bulk item (or a single-document request) can be.</summary>
internal enum OpType
{
    Index,
    Create,
    Update,
    Delete,
}
