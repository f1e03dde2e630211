using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Cloud.Constructor.Benchmarks;

/// <summary>
/// The platform's own time to create a 3-node cluster beyond the containers' start (target: at most 1 s),
/// against a running platform: from the plan attempt's steps, the time of every step except waiting for
/// the new instances (which is the containers starting and answering), plus the API call itself.
/// </summary>
internal static class CreateTimeBenchmark
{
    public static async Task<int> RunAsync(Uri api, int rounds)
    {
        using var http = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromSeconds(30) };
        if (Environment.GetEnvironmentVariable("CLOUD_API_KEY") is { Length: > 0 } key)
        {
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("ApiKey", key);
        }

        for (var round = 1; round <= rounds; round++)
        {
            var body = $$$"""{"cluster_name":"bench-{{{round}}}","plan":{"elasticsearch":{"version":"8.15.0"},"cluster_topology":[{"memory_per_node":512,"node_count_per_zone":1,"zone_count":3}]}}""";
            var started = DateTimeOffset.UtcNow;
            using var created = await http.PostAsync(new Uri("/api/v1/clusters/elasticsearch", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));
            var apiMs = (DateTimeOffset.UtcNow - started).TotalMilliseconds;
            var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("cluster_id").GetString()!;
            JsonElement attempt = default;
            for (var i = 0; i < 600 && attempt.ValueKind != JsonValueKind.Object; i++)
            {
                var activity = await http.GetFromJsonAsync<JsonElement>(new Uri($"/api/v1/clusters/elasticsearch/{id}/plan/activity", UriKind.Relative));
                attempt = activity.GetProperty("history").EnumerateArray().FirstOrDefault(a => a.GetProperty("status").GetString() == "success");
                await Task.Delay(200);
            }

            var total = (DateTimeOffset.UtcNow - started).TotalMilliseconds;
            var steps = attempt.GetProperty("steps").EnumerateArray().ToList();
            var waiting = steps.Where(s => s.GetProperty("step_id").GetString() == "wait_for_new_instances").Sum(s => s.GetProperty("duration_ms").GetDouble());
            var own = steps.Where(s => s.GetProperty("step_id").GetString() != "wait_for_new_instances").Sum(s => s.TryGetProperty("duration_ms", out var d) ? d.GetDouble() : 0);
            var firstStep = DateTimeOffset.Parse(steps[0].GetProperty("started").GetString()!, CultureInfo.InvariantCulture);
            var pickup = (firstStep - started).TotalMilliseconds - apiMs;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"create {id}: platform's own {apiMs + Math.Max(0, pickup) + own:0} ms (API {apiMs:0} ms, leader pick-up {pickup:0} ms, steps other than waiting {own:0} ms); waiting for containers {waiting:0} ms; total to healthy <= {total:0} ms; target own <= 1000 ms"));
            using var shutdown = await http.PostAsync(new Uri($"/api/v1/clusters/elasticsearch/{id}/_shutdown", UriKind.Relative), null);
        }

        return 0;
    }
}
