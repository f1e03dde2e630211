using Cloud.ZooKeeper.Jute;
using Cloud.ZooKeeper.Protocol;
using Cloud.ZooKeeper.Watches;

namespace Cloud.ZooKeeper.Session;

/// <summary>A request waiting for its reply; replies arrive in the order requests were sent.</summary>
internal abstract class PendingRequest
{
    protected PendingRequest(OpCode op, string? path, WatchRegistration? watch)
    {
        Op = op;
        Path = path;
        Watch = watch;
    }

    public OpCode Op { get; }

    /// <summary>Client path, for error messages.</summary>
    public string? Path { get; }

    public WatchRegistration? Watch { get; }

    public int Xid { get; set; }

    /// <summary>Set by the send loop once the request is on the wire.</summary>
    public volatile bool Sent;

    public abstract bool IsCompleted { get; }

    public abstract void Complete(ReplyHeader header, ref JuteReader body, WatchManager watches);

    public abstract void Fail(Exception exception);

    public abstract void Abandon();
}
