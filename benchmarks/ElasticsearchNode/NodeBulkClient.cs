using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Cloud.ElasticsearchNode.Benchmarks;

/// <summary>Sends prepared bulk bodies to a node with several clients at once, as an indexing application does.</summary>
internal static class NodeBulkClient
{
    private static readonly MediaTypeHeaderValue NdJson = new("application/x-ndjson");

    public static async Task CreateIndexAsync(HttpClient http, string index)
    {
        using var content = new StringContent("""{"settings":{"number_of_shards":1,"number_of_replicas":0}}""", Encoding.UTF8, "application/json");
        using var response = await http.PutAsync(new Uri("/" + index, UriKind.Relative), content);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Indexes every body into the index (created first unless it exists); returns documents per second from the first request to the last answer.</summary>
    public static async Task<double> IndexDocsPerSecondAsync(HttpClient http, string index, IReadOnlyList<byte[]> bodies, int documents, int clients, bool create = true)
    {
        if (create)
        {
            await CreateIndexAsync(http, index);
        }

        var next = -1;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            int body;
            while ((body = Interlocked.Increment(ref next)) < bodies.Count)
            {
                using var content = new ByteArrayContent(bodies[body]);
                content.Headers.ContentType = NdJson;
                using var response = await http.PostAsync(new Uri($"/{index}/_bulk", UriKind.Relative), content);
                var answer = await response.Content.ReadAsByteArrayAsync();
                if (!response.IsSuccessStatusCode || !NoErrors(answer))
                {
                    throw new InvalidOperationException($"bulk failed ({(int)response.StatusCode}): " + Encoding.UTF8.GetString(answer.AsSpan(0, Math.Min(answer.Length, 500))));
                }
            }
        })));
        return documents / watch.Elapsed.TotalSeconds;
    }

    /// <summary>The bulk response's top-level <c>errors</c> is false (read without building the 1,000 items).</summary>
    private static bool NoErrors(byte[] answer)
    {
        var reader = new Utf8JsonReader(answer);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isErrors = reader.ValueTextEquals("errors"u8);
            reader.Read();
            if (isErrors)
            {
                return reader.TokenType == JsonTokenType.False;
            }

            reader.Skip();
        }

        return false;
    }
}
