using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Cloud.EndToEnd.Tests.Platform;

/// <summary>
/// An application running against a cluster through the proxy while a plan or a failure happens:
/// a writer that records every acknowledged document id and a reader that records every failed read.
/// Afterwards every acknowledged id must be found, and no read may have failed.
/// </summary>
public sealed class TrafficRecorder : IAsyncDisposable
{
    private readonly ClusterClient _client;
    private readonly string _index;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<string> _acknowledged = [];
    private readonly ConcurrentQueue<string> _failedReads = new();
    private readonly ConcurrentQueue<string> _failedWrites = new();
    private readonly Task _writer;
    private readonly Task _reader;
    private long _reads;

    private TrafficRecorder(ClusterClient client, string index, bool write)
    {
        _client = client;
        _index = index;
        _writer = write ? Task.Run(WriteLoopAsync) : Task.CompletedTask;
        _reader = Task.Run(ReadLoopAsync);
    }

    public IReadOnlyCollection<string> Acknowledged => _acknowledged;

    public IReadOnlyCollection<string> FailedReads => _failedReads;

    public IReadOnlyCollection<string> FailedWrites => _failedWrites;

    public long Reads => Interlocked.Read(ref _reads);

    public static TrafficRecorder Start(ClusterClient client, string index, bool write = true) => new(client, index, write);

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_writer, _reader);
    }

    /// <summary>The acknowledged ids that are not in the index now.</summary>
    public async Task<IReadOnlyList<string>> MissingAcknowledgedAsync()
    {
        await _client.SendAsync(HttpMethod.Post, $"/{_index}/_refresh");
        var missing = new List<string>();
        foreach (var chunk in _acknowledged.Chunk(500))
        {
            var body = "{\"ids\":[" + string.Join(',', chunk.Select(id => "\"" + id + "\"")) + "]}";
            var response = await _client.SendAsync(HttpMethod.Post, $"/{_index}/_mget", body);
            response.EnsureOk();
            foreach (var doc in response.Json["docs"]!.AsArray())
            {
                if (doc?["found"]?.GetValue<bool>() != true)
                {
                    missing.Add(doc?["_id"]?.GetValue<string>() ?? "?");
                }
            }
        }

        return missing;
    }

    private async Task WriteLoopAsync()
    {
        var n = 0;
        while (!_stop.IsCancellationRequested)
        {
            var id = "w" + n.ToString(CultureInfo.InvariantCulture);
            try
            {
                var response = await _client.SendAsync(HttpMethod.Put, $"/{_index}/_doc/{id}", "{\"writer\":" + n + "}", cancellationToken: _stop.Token);
                if ((int)response.Status is 200 or 201)
                {
                    _acknowledged.Add(id);
                    n++;
                }
                else
                {
                    _failedWrites.Enqueue(response.ToString());
                    await PauseAsync();
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (HttpRequestException e)
            {
                // An unacknowledged write may or may not be there; only acknowledged ones are promised.
                _failedWrites.Enqueue(e.Message);
                await PauseAsync();
            }
        }
    }

    private async Task ReadLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                var response = await _client.SendAsync(HttpMethod.Get, $"/{_index}/_count", cancellationToken: _stop.Token);
                Interlocked.Increment(ref _reads);
                if (response.Status != System.Net.HttpStatusCode.OK)
                {
                    _failedReads.Enqueue($"{DateTimeOffset.UtcNow:O} {response}");
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                _failedReads.Enqueue($"{DateTimeOffset.UtcNow:O} after {Stopwatch.GetElapsedTime(started).TotalMilliseconds:F0} ms: {e.Message}");
            }

            await PauseAsync(20);
        }
    }

    private async Task PauseAsync(int milliseconds = 50)
    {
        try
        {
            await Task.Delay(milliseconds, _stop.Token);
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }
}
