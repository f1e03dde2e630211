namespace Cloud.ElasticsearchNode.Engine;

/// <summary>The <c>result</c> of a write, as Elasticsearch reports it.</summary>
internal enum WriteOutcome
{
    Created,
    Updated,
    Deleted,
    NotFound,
    Noop,
}
