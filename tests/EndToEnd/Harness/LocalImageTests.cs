using System.Text.Json;
using Cloud.Testing;
using FluentAssertions;
using Xunit;

namespace Cloud.EndToEnd.Tests.Harness;

/// <summary>Images built here from the project's own files (FROM scratch) run on the real Docker Engine.</summary>
[Trait("Category", "Integration")]
public sealed class LocalImageTests
{
    [Fact]
    public async Task ElasticsearchImage_Run_ServesHttpLikeElasticsearch()
    {
        var image = await LocalImages.ElasticsearchAsync("8.15.0");
        var name = "harness-" + Guid.NewGuid().ToString("N")[..8];
        var port = FreePorts.Next();
        await DockerEngine.CliAsync("run", "-d", "--name", name, "--label", "cloud.test=harness",
            "-p", $"127.0.0.1:{port}:9200", "-e", "node.name=harness-node", "-e", "cluster.name=harness-cluster", image);
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
            var body = await Eventually.GetAsync(
                async () => await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/")),
                TimeSpan.FromSeconds(30),
                "the container to answer HTTP");
            using var document = JsonDocument.Parse(body);
            document.RootElement.GetProperty("name").GetString().Should().Be("harness-node");
            document.RootElement.GetProperty("cluster_name").GetString().Should().Be("harness-cluster");
            document.RootElement.GetProperty("version").GetProperty("number").GetString().Should().Be("8.15.0");
            document.RootElement.GetProperty("tagline").GetString().Should().Be("You Know, for Search");

            var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/"));
            response.Headers.GetValues("X-Elastic-Product").Should().Equal("Elasticsearch");
        }
        finally
        {
            await DockerEngine.CliAsync("rm", "-f", name);
        }
    }
}
