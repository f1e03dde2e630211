namespace Cloud.Constructor.Elasticsearch;

/// <summary>The node could not be reached or answered 5xx after the client's retries: try again later.</summary>
public sealed class ElasticsearchUnavailableException : ElasticsearchException
{
    public ElasticsearchUnavailableException()
    {
    }

    public ElasticsearchUnavailableException(string message)
        : base(message)
    {
    }

    public ElasticsearchUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
