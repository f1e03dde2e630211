namespace Cloud.Constructor.Elasticsearch;

/// <summary>The node does not offer this API (no handler for the path, or an older version without it).</summary>
public sealed class ElasticsearchUnsupportedApiException : ElasticsearchException
{
    public ElasticsearchUnsupportedApiException()
    {
    }

    public ElasticsearchUnsupportedApiException(string message)
        : base(message)
    {
    }

    public ElasticsearchUnsupportedApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ElasticsearchUnsupportedApiException(int status, string? errorType, string message)
        : base(status, errorType, message)
    {
    }
}
