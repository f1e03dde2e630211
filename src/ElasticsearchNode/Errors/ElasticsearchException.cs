namespace Cloud.ElasticsearchNode.Errors;

/// <summary>
/// A failure the client sees in Elasticsearch's shape: <c>{"error":{"root_cause":[...],"type","reason","index"},"status"}</c>.
/// The type names and statuses are Elasticsearch's own, because clients branch on them.
/// </summary>
internal sealed class ElasticsearchException : Exception
{
    public ElasticsearchException(string type, string reason, int status, string? index = null, Exception? inner = null)
        : base(reason, inner)
    {
        Type = type;
        Status = status;
        Index = index;
    }

    public ElasticsearchException()
        : this("exception", "unknown", 500)
    {
    }

    public ElasticsearchException(string message)
        : this("exception", message, 500)
    {
    }

    public ElasticsearchException(string message, Exception innerException)
        : this("exception", message, 500, null, innerException)
    {
    }

    public string Type { get; }

    public int Status { get; }

    public string? Index { get; }

    public string? IndexUuid { get; init; }

    public string? ResourceId { get; init; }

    public string? ResourceType { get; init; }

    public int? Shard { get; init; }

    public static ElasticsearchException IndexNotFound(string index) =>
        new("index_not_found_exception", $"no such index [{index}]", 404, index) { ResourceId = index, ResourceType = "index_or_alias" };

    public static ElasticsearchException IndexExists(string index, string uuid) =>
        new("resource_already_exists_exception", $"index [{index}/{uuid}] already exists", 400, index) { IndexUuid = uuid };

    public static ElasticsearchException InvalidIndexName(string index, string why) =>
        new("invalid_index_name_exception", $"Invalid index name [{index}], {why}", 400, index);

    public static ElasticsearchException VersionConflict(string index, string id, string why) =>
        new("version_conflict_engine_exception", $"[{id}]: version conflict, {why}", 409, index);

    public static ElasticsearchException DocumentMissing(string index, string id) =>
        new("document_missing_exception", $"[{id}]: document missing", 404, index);

    public static ElasticsearchException MapperParsing(string reason, Exception? inner = null) =>
        new("mapper_parsing_exception", reason, 400, null, inner);

    public static ElasticsearchException Parsing(string reason) => new("parsing_exception", reason, 400);

    public static ElasticsearchException IllegalArgument(string reason) => new("illegal_argument_exception", reason, 400);

    public static ElasticsearchException ActionRequestValidation(string reason) =>
        new("action_request_validation_exception", "Validation Failed: 1: " + reason + ";", 400);

    public static ElasticsearchException ShardNotAvailable(string index, string reason) =>
        new("no_shard_available_action_exception", reason, 503, index);

    public static ElasticsearchException SearchContextMissing(string id) =>
        new("search_context_missing_exception", $"No search context found for id [{id}]", 404);

    public static ElasticsearchException ContentTooLong(long length, long max) =>
        new("content_too_long_exception", $"request body is larger than the limit of [{max}] bytes (was [{length}])", 413);
}
