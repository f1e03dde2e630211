using System.Buffers;
using System.Diagnostics;
using Cloud.Proxy.Forwarding;

namespace Cloud.Proxy.FastPath;

/// <summary>The proxy's own refusals on the fast path, counted as the ordinary path counts them, so the connection stays on the fast path.</summary>
internal sealed partial class FastConnection
{
    private async Task<bool> RefuseAsync(FastRoute route)
    {
        var started = Stopwatch.GetTimestamp();
        var refusal = route.Refusal!;
        var body = ElasticsearchErrors.Body(refusal.Status, refusal.Type, refusal.Reason);
        var output = _client.Transport.Output;
        HeadWriter.WriteRefusal(output, refusal.Status, ElasticsearchErrors.ContentType, _request.IsHead ? 0 : body.Length, close: _request.Close);
        if (!_request.IsHead)
        {
            output.Write(body);
        }

        if (refusal.Unrouted is { } reason)
        {
            _forwarder.Metrics.Unrouted(reason);
        }
        else
        {
            _forwarder.Metrics.RequestEnded(route.Requested!.ClusterId, refusal.Status, started);
        }

        _forwarder.Counters.CountForwarded();
        return !(await output.FlushAsync(_client.ConnectionClosed)).IsCompleted && !_request.Close;
    }
}
