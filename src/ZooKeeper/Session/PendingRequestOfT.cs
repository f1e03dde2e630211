using Cloud.ZooKeeper.Jute;
using Cloud.ZooKeeper.Protocol;
using Cloud.ZooKeeper.Watches;

namespace Cloud.ZooKeeper.Session;

internal sealed class PendingRequest<T> : PendingRequest
{
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ResponseParser<T> _parser;
    private readonly T? _noNodeResult;
    private readonly bool _noNodeIsResult;

    public PendingRequest(OpCode op, string? path, ResponseParser<T> parser, WatchRegistration? watch = null)
        : base(op, path, watch)
    {
        _parser = parser;
    }

    /// <summary>A request for which NoNode is an answer (exists), not an error.</summary>
    public PendingRequest(OpCode op, string? path, ResponseParser<T> parser, WatchRegistration? watch, T noNodeResult)
        : base(op, path, watch)
    {
        _parser = parser;
        _noNodeResult = noNodeResult;
        _noNodeIsResult = true;
    }

    public Task<T> Task => _completion.Task;

    public override bool IsCompleted => _completion.Task.IsCompleted;

    public override void Complete(ReplyHeader header, ref JuteReader body, WatchManager watches)
    {
        // A caller that gave up (cancelled or timed out) never learns of this watch: registering it would
        // fire its watcher for a read it did not get.
        if (Watch is { } watch && !_completion.Task.IsCompleted && watch.ShouldRegister(header.Err))
        {
            watches.Register(watch.EffectiveKind(header.Err), watch.ClientPath, watch.Watcher);
        }

        if (header.Err == ErrorCode.Ok)
        {
            T result;
            try
            {
                result = _parser(ref body);
            }
            catch (Exception ex)
            {
                _completion.TrySetException(ex);
                return;
            }

            _completion.TrySetResult(result);
        }
        else if (header.Err == ErrorCode.NoNode && _noNodeIsResult)
        {
            _completion.TrySetResult(_noNodeResult!);
        }
        else
        {
            _completion.TrySetException(ZooKeeperErrors.Create(header.Err, Path));
        }
    }

    public override void Fail(Exception exception) => _completion.TrySetException(exception);

    public override void Abandon() => _completion.TrySetCanceled();
}
