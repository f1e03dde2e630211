namespace Cloud.Constructor.Elasticsearch;

/// <summary>An Elasticsearch error answer: HTTP status plus the <c>error.type</c> and <c>error.reason</c> it gave.</summary>
public class ElasticsearchException : Exception
{
    public ElasticsearchException()
    {
    }

    public ElasticsearchException(string message)
        : base(message)
    {
    }

    public ElasticsearchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ElasticsearchException(int status, string? errorType, string message)
        : base(message)
    {
        Status = status;
        ErrorType = errorType;
    }

    public int Status { get; }

    public string? ErrorType { get; }
}
