using System.Diagnostics;
using System.Globalization;
using Cloud.Testing;

namespace Cloud.ElasticsearchNode.Benchmarks;

/// <summary>
/// Creates a container (untimed), starts it and polls <c>GET /</c> on its own address until it answers 2xx: the same
/// steps and flags for the node and for Docker's floor (a static program that only answers HTTP), so the two compare.
/// </summary>
internal static class ContainerStart
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    public static async Task<(string Address, double CreateMs, StartTimings Timings)> RunAsync(string name, string image, IReadOnlyList<string> environment)
    {
        List<string> create = ["create", "--name", name, "--label", "cloud.test=es-bench"];
        foreach (var variable in environment)
        {
            create.AddRange(["-e", variable]);
        }

        create.Add(image);
        var created = Stopwatch.GetTimestamp();
        await DockerEngine.CliAsync([.. create]);
        var createMs = Stopwatch.GetElapsedTime(created).TotalMilliseconds;

        var started = Stopwatch.GetTimestamp();
        await DockerEngine.CliAsync("start", name);
        var dockerStartMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var address = await DockerEngine.CliAsync("inspect", "-f", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}", name);
        using var http = new HttpClient { BaseAddress = new Uri($"http://{address}:9200/") };
        while (true)
        {
            try
            {
                using var attempt = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                using var response = await http.GetAsync(new Uri("/", UriKind.Relative), attempt.Token);
                if (response.IsSuccessStatusCode)
                {
                    break;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
            {
                // Not listening yet.
            }

            if (Stopwatch.GetElapsedTime(started) > Limit)
            {
                throw new InvalidOperationException($"{name} did not answer GET / within {Limit.TotalMinutes} minutes: " + await DockerEngine.CliAsync("logs", "--tail", "20", name));
            }

            await Task.Delay(5);
        }

        var startToAnswer = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var answeredAt = DateTimeOffset.UtcNow;
        var processStart = ParseDockerTime(await DockerEngine.CliAsync("inspect", "-f", "{{.State.StartedAt}}", name));
        return (address, createMs, new StartTimings(dockerStartMs, startToAnswer, (answeredAt - processStart).TotalMilliseconds));
    }

    /// <summary>Docker prints RFC 3339 with nanoseconds; .NET parses at most 7 fractional digits.</summary>
    private static DateTimeOffset ParseDockerTime(string text)
    {
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot >= 0)
        {
            var end = dot + 1;
            while (end < text.Length && char.IsDigit(text[end]))
            {
                end++;
            }

            text = text[..Math.Min(end, dot + 8)] + text[end..];
        }

        return DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
    }
}
