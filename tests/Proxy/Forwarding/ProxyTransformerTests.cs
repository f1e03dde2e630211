using System.Net;
using System.Net.Http;
using Cloud.Proxy.Forwarding;
using FluentAssertions;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace Cloud.Proxy.Tests.Forwarding;

public sealed class ProxyTransformerTests
{
    [Fact]
    public async Task TransformRequest_HeadersNamedInConnection_AreNotForwarded()
    {
        var context = new DefaultHttpContext();
        var headers = context.Request.Headers;
        headers["X-Opaque-Id"] = "trace-1";
        headers["X-Secret-Hop"] = "must-not-pass";
        headers["X-Other-Hop"] = "must-not-pass";
        headers["Keep-Alive"] = "timeout=5";
        headers.Connection = new Microsoft.Extensions.Primitives.StringValues(["keep-alive, X-Secret-Hop", " ,x-other-hop ,close"]);
        headers["Proxy-Authorization"] = "Basic x";
        using var request = new HttpRequestMessage();

        await ProxyTransformer.Instance.TransformRequestAsync(context, request, "http://127.0.0.1:9/", CancellationToken.None);

        request.Headers.NonValidated.Select(h => h.Key).Should().BeEquivalentTo(["X-Opaque-Id"]);
        request.Headers.NonValidated["X-Opaque-Id"].ToString().Should().Be("trace-1");
    }

    [Fact]
    public async Task TransformRequest_NoConnectionHeader_CopiesEverythingButHopByHop()
    {
        var context = new DefaultHttpContext();
        context.Request.Headers["X-Opaque-Id"] = "trace-1";
        context.Request.Headers["Accept"] = "application/vnd.elasticsearch+json; compatible-with=8";
        context.Request.Headers["Transfer-Encoding"] = "chunked";
        using var request = new HttpRequestMessage();

        await ProxyTransformer.Instance.TransformRequestAsync(context, request, "http://127.0.0.1:9/", CancellationToken.None);

        request.Headers.NonValidated.Select(h => h.Key).Should().BeEquivalentTo(["X-Opaque-Id", "Accept"]);
        request.Headers.NonValidated["Accept"].ToString().Should().Be("application/vnd.elasticsearch+json; compatible-with=8");
    }

    [Theory]
    [InlineData("keep-alive")]
    [InlineData("close")]
    [InlineData("Keep-Alive, X-Backend-Hop")]
    [InlineData("x-backend-hop")]
    public async Task TransformResponse_ConnectionAndTheHeadersItNames_AreNotPassedBack(string connection)
    {
        var context = new DefaultHttpContext();
        using var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent([1, 2, 3]) };
        response.Headers.TryAddWithoutValidation("Connection", connection);
        response.Headers.TryAddWithoutValidation("X-Backend-Hop", "secret");
        response.Headers.TryAddWithoutValidation("X-Elastic-Product", "Elasticsearch");
        response.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");

        var copyBody = await ProxyTransformer.Instance.TransformResponseAsync(context, response, CancellationToken.None);

        copyBody.Should().BeTrue();
        var passed = context.Response.Headers;
        passed.Should().NotContainKey("Connection");
        passed["X-Elastic-Product"].ToString().Should().Be("Elasticsearch");
        passed["Content-Type"].ToString().Should().Be("application/json");
        if (connection.Contains("hop", StringComparison.OrdinalIgnoreCase))
        {
            passed.Should().NotContainKey("X-Backend-Hop");
        }
        else
        {
            passed["X-Backend-Hop"].ToString().Should().Be("secret");
        }
    }
}
