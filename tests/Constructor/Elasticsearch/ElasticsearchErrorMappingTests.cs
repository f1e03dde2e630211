using System.Net;
using Cloud.Constructor.Elasticsearch;
using FluentAssertions;
using Xunit;

namespace Cloud.Constructor.Tests.Elasticsearch;

public sealed class ElasticsearchErrorMappingTests
{
    public static TheoryData<HttpStatusCode, string, Type, string?> Table => new()
    {
        { HttpStatusCode.BadRequest, """{"error":{"type":"unsupported_operation","reason":"no handler for [GET /_cat/nodes]"},"status":400}""", typeof(ElasticsearchUnsupportedApiException), "unsupported_operation" },
        { HttpStatusCode.BadRequest, """{"error":"no handler found for uri [/_nodes/x/shutdown] and method [PUT]"}""", typeof(ElasticsearchUnsupportedApiException), null },
        { HttpStatusCode.MethodNotAllowed, """{"error":"Incorrect HTTP method"}""", typeof(ElasticsearchUnsupportedApiException), null },
        { HttpStatusCode.NotFound, "", typeof(ElasticsearchUnsupportedApiException), null },
        { HttpStatusCode.NotFound, """{"error":{"type":"index_not_found_exception","reason":"no such index"},"status":404}""", typeof(ElasticsearchException), "index_not_found_exception" },
        { HttpStatusCode.BadRequest, """{"error":{"type":"illegal_argument_exception","reason":"bad setting"},"status":400}""", typeof(ElasticsearchException), "illegal_argument_exception" },
        { HttpStatusCode.ServiceUnavailable, """{"error":{"type":"master_not_discovered_exception","reason":"no master"},"status":503}""", typeof(ElasticsearchUnavailableException), null },
        { HttpStatusCode.InternalServerError, "oops", typeof(ElasticsearchUnavailableException), null },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void MapError_AnswerOfTheNode_TypedException(HttpStatusCode status, string body, Type expected, string? errorType)
    {
        var exception = ElasticsearchClient.MapError(status, HttpMethod.Get, "_x", body);

        exception.Should().BeOfType(expected);
        exception.ErrorType.Should().Be(errorType);
        if (expected != typeof(ElasticsearchUnavailableException))
        {
            exception.Status.Should().Be((int)status);
        }
    }
}
