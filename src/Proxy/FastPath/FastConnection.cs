using System.Buffers;
using System.Net;
using Cloud.Proxy.Forwarding;
using Microsoft.AspNetCore.Connections;

namespace Cloud.Proxy.FastPath;

/// <summary>
/// One client connection on the fast path: reads each request head, routes it and forwards it
/// (<see cref="FastConnection"/>'s other part), keeping the connection alive between requests. The first request
/// it does not take (see <see cref="RequestHeadParser"/> and <see cref="FastRouter"/>) is left unread in the pipe
/// and the whole rest of the connection goes to Kestrel, so those requests get exactly the ordinary path's answers.
/// </summary>
internal sealed partial class FastConnection
{
    // Read-only requests with bodies up to this size are kept so they can be sent again to another instance; larger
    // (or chunked) read-only POSTs go to the ordinary path, which buffers them to disk.
    private const int MaxReplayBodyBytes = 64 * 1024;

    private readonly FastForwarder _forwarder;
    private readonly ConnectionContext _client;
    private readonly IPAddress? _remote;
    private readonly RequestHead _request = new();
    private readonly ResponseHead _response = new();
    private readonly ActivityClock _clock = new();
    private byte[] _body = [];
    private int _bodyLength;

    /// <summary>The request is held whole (head and body): it can be sent again.</summary>
    private bool _replayable;

    /// <summary>The request may be sent again to another instance (GET, HEAD, read-only POSTs).</summary>
    private bool _retryable;

    public FastConnection(FastForwarder forwarder, ConnectionContext client)
    {
        _forwarder = forwarder;
        _client = client;
        _remote = (client.RemoteEndPoint as IPEndPoint)?.Address;
    }

    private enum Next
    {
        ReadMore,
        Forward,
        HandOff,
        Close,
    }

    /// <summary>Serves requests until the client leaves (false) or a request must go to Kestrel (true).</summary>
    public async Task<bool> RunAsync()
    {
        var input = _client.Transport.Input;
        var cancellationToken = _client.ConnectionClosed;
        _forwarder.Reaper.Add(_client, _clock);
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(cancellationToken);
                var buffer = result.Buffer;
                var next = Examine(buffer, result.IsCompleted, out var route, out var consumed);
                switch (next)
                {
                    case Next.ReadMore:
                        input.AdvanceTo(buffer.Start, buffer.End);
                        continue;
                    case Next.Close:
                        input.AdvanceTo(buffer.End);
                        return false;
                    case Next.HandOff:
                        // Nothing examined: Kestrel's first read returns these same bytes at once.
                        input.AdvanceTo(buffer.Start);
                        _forwarder.Counters.CountHandedOff();
                        return true;
                }

                input.AdvanceTo(buffer.GetPosition(consumed));
                var keepAlive = route.IsForward ? await ForwardAsync(route, cancellationToken) : await RefuseAsync(route);
                if (!keepAlive)
                {
                    return false;
                }
            }
        }
        catch (Exception ex) when (IsConnectionEnd(ex, cancellationToken))
        {
            return false;
        }
        finally
        {
            // Handed off or closed: Kestrel applies its own limits from here.
            _forwarder.Reaper.Remove(_client);
        }
    }

    /// <summary>Decides what to do with the bytes read so far; synchronous, so the buffer is never held across an await.</summary>
    private Next Examine(in ReadOnlySequence<byte> buffer, bool completed, out FastRoute route, out long consumed)
    {
        route = default;
        consumed = 0;
        if (buffer.IsEmpty)
        {
            return completed ? Next.Close : Next.ReadMore;
        }

        var limit = _forwarder.MaxRequestHead;
        var headLength = HeadFinder.Find(buffer, limit);
        if (headLength < 0)
        {
            // Too large (431/414) or cut short: Kestrel gives the answer.
            return buffer.Length >= limit || completed ? Next.HandOff : Next.ReadMore;
        }

        _request.EnsureCapacity(headLength);
        buffer.Slice(0, headLength).CopyTo(_request.Bytes);
        _request.Length = headLength;
        if (!RequestHeadParser.TryParse(_request) || _forwarder.Router.Route(_request, _remote) is not { } found)
        {
            return Next.HandOff;
        }

        if (!found.IsForward)
        {
            // Refused: answered here when there is no body to skip; a refused upload is the ordinary path's to drain.
            route = found;
            consumed = headLength;
            return _request.HasBody ? Next.HandOff : Next.Forward;
        }

        _retryable = RetryableRequests.IsRetryable(_request.Method, _request.Path);
        _bodyLength = 0;
        _replayable = !_request.HasBody;
        if (!_request.HasBody)
        {
            route = found;
            consumed = headLength;
            return Next.Forward;
        }

        if (_retryable && !_request.Chunked && _request.ContentLength <= MaxReplayBodyBytes)
        {
            var total = headLength + _request.ContentLength;
            if (buffer.Length < total)
            {
                return completed ? Next.Close : Next.ReadMore;
            }

            if (_body.Length < _request.ContentLength)
            {
                _body = new byte[Math.Max(_request.ContentLength, 4096)];
            }

            buffer.Slice(headLength, _request.ContentLength).CopyTo(_body);
            _bodyLength = (int)_request.ContentLength;
            _replayable = true;
            route = found;
            consumed = total;
            return Next.Forward;
        }

        if (RetryableRequests.IsReadOnlyPost(_request.Method, _request.Path))
        {
            return Next.HandOff;
        }

        // Any other body streams to the instance after the head, and the request is not sent twice.
        route = found;
        consumed = headLength;
        return Next.Forward;
    }

    private static bool IsConnectionEnd(Exception ex, CancellationToken cancellationToken) =>
        (ex is OperationCanceledException && cancellationToken.IsCancellationRequested)
        || ex is ConnectionResetException or ConnectionAbortedException or IOException;
}
