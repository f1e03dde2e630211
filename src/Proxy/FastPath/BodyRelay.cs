using System.Buffers;
using System.IO.Pipelines;

namespace Cloud.Proxy.FastPath;

/// <summary>
/// Copies one message body from one pipe to another as its bytes arrive, never holding more than what one read
/// returned: a 100 MB <c>_bulk</c> streams through, and the backpressure of each pipe reaches the other side.
/// </summary>
internal static class BodyRelay
{
    /// <summary>Copies the body and flushes it (the head written before it too, even when there is no body).</summary>
    public static async ValueTask<RelayResult> CopyAsync(PipeReader from, PipeWriter to, BodyFraming framing, long contentLength, ActivityClock clock, CancellationToken cancellationToken)
    {
        if (framing == BodyFraming.None || (framing == BodyFraming.ContentLength && contentLength == 0))
        {
            return (await to.FlushAsync(cancellationToken)).IsCompleted ? RelayResult.DestinationGone : RelayResult.Done;
        }

        var remaining = contentLength;
        var chunked = default(ChunkedScanner);
        while (true)
        {
            var result = await from.ReadAsync(cancellationToken);
            clock.Touch();
            var buffer = result.Buffer;
            long take = framing switch
            {
                BodyFraming.ContentLength => Math.Min(remaining, buffer.Length),
                BodyFraming.Chunked => chunked.Scan(buffer),
                _ => buffer.Length,
            };
            if (take < 0)
            {
                from.AdvanceTo(buffer.Start);
                return RelayResult.Broken;
            }

            var body = buffer.Slice(0, take);
            foreach (var segment in body)
            {
                to.Write(segment.Span);
            }

            from.AdvanceTo(body.End);
            remaining -= take;
            var done = framing switch
            {
                BodyFraming.ContentLength => remaining == 0,
                BodyFraming.Chunked => chunked.IsDone,
                _ => result.IsCompleted,
            };
            if ((done || take > 0) && (await to.FlushAsync(cancellationToken)).IsCompleted && !done)
            {
                // The reading side is gone (client or instance closed): nothing more can be delivered.
                return RelayResult.DestinationGone;
            }

            if (done)
            {
                return RelayResult.Done;
            }

            if (result.IsCompleted)
            {
                return RelayResult.SourceEnded;
            }
        }
    }
}
