using System.Collections.Concurrent;
using System.Net;

namespace Cloud.Proxy.Tests.Integration;

/// <summary>A client that keeps sending GETs to a cluster through the proxy and counts every outcome.</summary>
internal sealed class TrafficLoop : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _workers;
    private long _ok;

    public TrafficLoop(ProxyHost proxy, string clusterId, int concurrency = 4)
    {
        _workers = [.. Enumerable.Range(0, concurrency).Select(_ => Task.Run(() => RunAsync(proxy, clusterId)))];
    }

    public long Succeeded => Interlocked.Read(ref _ok);

    /// <summary>Every request that did not get a 200, with what it got instead.</summary>
    public ConcurrentQueue<string> Failures { get; } = new();

    public ConcurrentDictionary<string, long> ByInstance { get; } = new();

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_workers);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync();
        }

        _stop.Dispose();
    }

    private async Task RunAsync(ProxyHost proxy, string clusterId)
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                using var response = await proxy.Client.SendAsync(proxy.Request(HttpMethod.Get, clusterId, "/idx/_doc/1"), _stop.Token);
                var body = await response.Content.ReadAsStringAsync(_stop.Token);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref _ok);
                    var instance = response.Headers.TryGetValues("X-Found-Handling-Instance", out var values) ? values.First() : "?";
                    ByInstance.AddOrUpdate(instance, 1, (_, n) => n + 1);
                }
                else
                {
                    Failures.Enqueue($"{(int)response.StatusCode}: {body}");
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
            }
            catch (HttpRequestException ex)
            {
                Failures.Enqueue(ex.Message);
            }
        }
    }
}
