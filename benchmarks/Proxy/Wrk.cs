using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Cloud.Proxy.Benchmarks;

/// <summary>Runs Debian's wrk and reads requests/s and the p50/p99 latencies from its <c>--latency</c> report.</summary>
internal static partial class Wrk
{
    public static async Task<WrkResult> RunAsync(string label, int port, string host, int threads, int connections, TimeSpan duration)
    {
        var info = new ProcessStartInfo("wrk", [
            "-t", threads.ToString(CultureInfo.InvariantCulture),
            "-c", connections.ToString(CultureInfo.InvariantCulture),
            "-d", $"{(int)duration.TotalSeconds}s",
            "--latency",
            "-H", $"Host: {host}",
            $"http://127.0.0.1:{port}/",
        ])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var rps = double.Parse(RequestsPerSecond().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        var requests = long.Parse(Requests().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        var errors = NonOk().Match(output) is { Success: true } m ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        var socketErrors = SocketErrors().Match(output) is { Success: true } s ? s.Value : null;
        return new WrkResult(label, rps, requests, Latency(output, "50"), Latency(output, "99"), errors, socketErrors);
    }

    private static double Latency(string output, string percentile)
    {
        var match = Regex.Match(output, $@"^\s*{percentile}%\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch
        {
            "us" => value / 1000,
            "s" => value * 1000,
            _ => value,
        };
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex Requests();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex NonOk();

    [GeneratedRegex(@"Socket errors:.*")]
    private static partial Regex SocketErrors();
}
