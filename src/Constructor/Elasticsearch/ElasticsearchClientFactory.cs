namespace Cloud.Constructor.Elasticsearch;

/// <summary>Hands out clients for one node each, sharing the resilient HttpClient pipeline.</summary>
public sealed class ElasticsearchClientFactory(IHttpClientFactory httpClientFactory)
{
    public const string HttpClientName = "elasticsearch";

    public ElasticsearchClient For(string host, int httpPort) =>
        new(httpClientFactory.CreateClient(HttpClientName), new UriBuilder("http", host, httpPort, "/").Uri);
}
