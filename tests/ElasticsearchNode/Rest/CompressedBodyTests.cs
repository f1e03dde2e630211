using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Cloud.ElasticsearchNode.Tests.Harness;
using FluentAssertions;
using Xunit;

namespace Cloud.ElasticsearchNode.Tests.Rest;

/// <summary>Request bodies compressed by the client (<c>Content-Encoding: gzip</c>), as the JavaScript client sends with <c>compression: true</c>.</summary>
public sealed class CompressedBodyTests : IAsyncLifetime
{
    private InProcessNode _node = null!;

    public async Task InitializeAsync() => _node = await InProcessNode.StartAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Theory]
    [InlineData("gzip")]
    [InlineData("deflate")]
    public async Task BulkThenSearch_CompressedBodies_DecodedAndIndexed(string encoding)
    {
        var bulk = new StringBuilder();
        for (var i = 0; i < 50; i++)
        {
            bulk.Append("{\"index\":{\"_id\":\"").Append(i).Append("\"}}\n{\"title\":\"compressed document ").Append(i).Append("\"}\n");
        }

        using var indexed = await SendCompressedAsync(HttpMethod.Post, "/books/_bulk?refresh=true", bulk.ToString(), "application/x-ndjson", encoding);
        indexed.StatusCode.Should().Be(HttpStatusCode.OK, await indexed.Content.ReadAsStringAsync());
        JsonNode.Parse(await indexed.Content.ReadAsStringAsync())!["errors"]!.GetValue<bool>().Should().BeFalse();

        using var searched = await SendCompressedAsync(HttpMethod.Post, "/books/_search", "{\"query\":{\"match\":{\"title\":\"compressed\"}}}", "application/json", encoding);
        searched.StatusCode.Should().Be(HttpStatusCode.OK);
        JsonNode.Parse(await searched.Content.ReadAsStringAsync())!["hits"]!["total"]!["value"]!.GetValue<long>().Should().Be(50);
    }

    [Fact]
    public async Task UnknownEncoding_RefusedWithIllegalArgument()
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, "/books") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        request.Content.Headers.ContentEncoding.Add("br");
        using var response = await _node.Http.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["type"]!.GetValue<string>().Should().Be("illegal_argument_exception");
        (await _node.GetAsync("/books")).Status.Should().Be(HttpStatusCode.NotFound, "a refused request creates nothing");
    }

    private async Task<HttpResponseMessage> SendCompressedAsync(HttpMethod method, string path, string body, string contentType, string encoding)
    {
        using var buffer = new MemoryStream();
        await using (Stream compressor = encoding == "gzip" ? new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true) : new ZLibStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            await compressor.WriteAsync(Encoding.UTF8.GetBytes(body));
        }

        using var request = new HttpRequestMessage(method, path) { Content = new ByteArrayContent(buffer.ToArray()) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Content.Headers.ContentEncoding.Add(encoding);
        return await _node.Http.SendAsync(request);
    }
}
