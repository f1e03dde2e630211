using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net.Sockets;
using Cloud.Proxy.Forwarding;
using Cloud.Proxy.Routing;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;

namespace Cloud.Proxy.FastPath;

/// <summary>
/// Forwarding one request: pick an instance, send the head (and the body, held or streamed), relay the response.
/// The contract's failure rules, as on the ordinary path: a connection that fails before any response byte reached
/// the client takes the instance out of rotation and a retryable request goes once more to another instance.
/// </summary>
internal sealed partial class FastConnection
{
    private enum Outcome
    {
        /// <summary>The response was relayed whole.</summary>
        Answered,

        /// <summary>Nothing reached the client: the request may go elsewhere.</summary>
        NotReached,

        /// <summary>The instance answered with a head this proxy does not relay: 502, as YARP answers one it cannot read.</summary>
        BadResponse,

        /// <summary>The exchange broke after the response started, or the client left: the client connection closes.</summary>
        Broken,
    }

    /// <summary>Forwards the request; false when the client connection must close.</summary>
    private async Task<bool> ForwardAsync(FastRoute route, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var status = StatusCodes.Status502BadGateway;
        var target = route.Target!;
        var destination = LoadBalancer.Pick(target)!;
        var retriedElsewhere = false;
        var retriedStale = false;
        var fresh = false;
        _clock.RequestStarted();

        // Counted when taken, before any answer byte can reach the client: whoever has read the answer sees the count
        // (counting in the finally below raced a test reading the counter right after the response).
        _forwarder.Counters.CountForwarded();
        try
        {
            while (true)
            {
                var (outcome, reused, keepClient) = await AttemptAsync(target, destination, fresh, cancellationToken);
                status = _response.StatusCode == 0 ? status : _response.StatusCode;
                if (outcome is Outcome.Answered or Outcome.Broken)
                {
                    return outcome == Outcome.Answered && keepClient;
                }

                if (outcome == Outcome.BadResponse)
                {
                    status = StatusCodes.Status502BadGateway;
                    return await WriteBadGatewayAsync(target, destination, cancellationToken);
                }

                var retryable = _retryable && _replayable;
                if (reused && retryable && !retriedStale)
                {
                    // A kept-alive connection the instance closed as the request went out: not the instance's failure.
                    // Sent again on a new connection, elsewhere when possible (the instance may have died).
                    retriedStale = true;
                    fresh = true;
                    destination = LoadBalancer.Pick(target, exclude: destination.State) ?? destination;
                    continue;
                }

                if (!reused)
                {
                    destination.State.MarkFailed();
                    _forwarder.Metrics.UpstreamError(target.ClusterId);
                }

                if (retryable && !retriedElsewhere && LoadBalancer.Pick(target, exclude: destination.State) is { } other)
                {
                    retriedElsewhere = true;
                    fresh = false;
                    destination = other;
                    _forwarder.Metrics.Retried(target.ClusterId);
                    continue;
                }

                status = StatusCodes.Status502BadGateway;
                return await WriteBadGatewayAsync(target, destination, cancellationToken);
            }
        }
        finally
        {
            _clock.RequestEnded();
            _forwarder.Metrics.RequestEnded(route.Requested!.ClusterId, status, started);
        }
    }

    /// <summary>502; the client connection stays open only when the request was read whole.</summary>
    private async ValueTask<bool> WriteBadGatewayAsync(ClusterRoute target, RouteDestination destination, CancellationToken cancellationToken)
    {
        var keep = _replayable && !_request.Close;
        var output = _client.Transport.Output;
        HeadWriter.WriteBadGateway(output, target.ClusterId, destination.InstanceName, close: !keep);
        return !(await output.FlushAsync(cancellationToken)).IsCompleted && keep;
    }

    private async Task<(Outcome Outcome, bool Reused, bool KeepClient)> AttemptAsync(
        ClusterRoute target, RouteDestination destination, bool fresh, CancellationToken cancellationToken)
    {
        _response.Reset();
        var pool = _forwarder.Connector.Pool(destination.State);
        var connection = fresh ? null : pool.TryTake();
        var reused = connection is not null;
        if (connection is null)
        {
            try
            {
                connection = await _forwarder.Connector.ConnectAsync(destination.State, cancellationToken);
            }
            catch (Exception ex) when (ex is SocketException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                return (Outcome.NotReached, false, false);
            }
        }

        var keepBackend = false;
        var responseStarted = false;
        destination.State.RequestStarted();
        try
        {
            var sent = await SendRequestAsync(connection, destination, cancellationToken);
            if (sent != RelayResult.Done)
            {
                // The instance's side closing is its failure; the client's body ending early or broken is the client's.
                return (sent == RelayResult.DestinationGone ? Outcome.NotReached : Outcome.Broken, reused, false);
            }

            if (!await ReadResponseHeadAsync(connection.Input, cancellationToken))
            {
                return (_response.StatusCode == 0 ? Outcome.NotReached : Outcome.BadResponse, reused, false);
            }

            var framing = _response.Framing(_request.IsHead);
            var closeClient = _request.Close || framing == BodyFraming.UntilClose;
            responseStarted = true;
            HeadWriter.WriteResponse(_client.Transport.Output, _response, target.ClusterId, destination.InstanceName, closeClient);
            var relayed = await BodyRelay.CopyAsync(connection.Input, _client.Transport.Output, framing, _response.ContentLength, _clock, cancellationToken);
            keepBackend = relayed == RelayResult.Done && !_response.Close && framing != BodyFraming.UntilClose;
            return (relayed == RelayResult.Done ? Outcome.Answered : Outcome.Broken, reused, !closeClient);
        }
        catch (Exception ex) when (!responseStarted && ex is ConnectionResetException or ConnectionAbortedException or IOException or SocketException)
        {
            // Reset by the instance before any response byte went to the client.
            _response.StatusCode = 0;
            return (Outcome.NotReached, reused, false);
        }
        finally
        {
            destination.State.RequestEnded();
            if (keepBackend)
            {
                pool.Return(connection);
            }
            else
            {
                _ = BackendPool.DisposeQuietlyAsync(connection);
            }
        }
    }

    /// <summary>Sends the request head and body.</summary>
    private async ValueTask<RelayResult> SendRequestAsync(BackendConnection connection, RouteDestination destination, CancellationToken cancellationToken)
    {
        var output = connection.Output;
        HeadWriter.WriteRequest(output, _request, destination.State.Address);
        if (_replayable)
        {
            if (_bodyLength > 0)
            {
                output.Write(_body.AsSpan(0, _bodyLength));
            }

            return (await output.FlushAsync(cancellationToken)).IsCompleted ? RelayResult.DestinationGone : RelayResult.Done;
        }

        var framing = _request.Chunked ? BodyFraming.Chunked : BodyFraming.ContentLength;
        return await BodyRelay.CopyAsync(_client.Transport.Input, output, framing, _request.ContentLength, _clock, cancellationToken);
    }

    /// <summary>
    /// Reads the response head into <see cref="_response"/>; false when the instance closed before a whole head
    /// (<see cref="ResponseHead.StatusCode"/> 0) or sent one this proxy will not relay (an interim 1xx included: the
    /// fast path never sends <c>Expect</c> or <c>Upgrade</c>, which go to the ordinary path).
    /// </summary>
    private async ValueTask<bool> ReadResponseHeadAsync(PipeReader input, CancellationToken cancellationToken)
    {
        const int maxResponseHead = 64 * 1024;
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            var length = HeadFinder.Find(buffer, maxResponseHead);
            if (length < 0)
            {
                if (result.IsCompleted || buffer.Length >= maxResponseHead)
                {
                    input.AdvanceTo(buffer.End);
                    _response.StatusCode = result.IsCompleted ? 0 : StatusCodes.Status502BadGateway;
                    return false;
                }

                input.AdvanceTo(buffer.Start, buffer.End);
                continue;
            }

            _response.EnsureCapacity(length);
            buffer.Slice(0, length).CopyTo(_response.Bytes);
            _response.Length = length;
            input.AdvanceTo(buffer.GetPosition(length));
            if (!ResponseHeadParser.TryParse(_response) || _response.StatusCode < 200)
            {
                _response.StatusCode = StatusCodes.Status502BadGateway;
                return false;
            }

            return true;
        }
    }
}
