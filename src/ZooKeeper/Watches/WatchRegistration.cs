namespace Cloud.ZooKeeper.Watches;

/// <summary>
/// A watch to add when the reply of the request that set it arrives. Exists on a missing node sets an
/// exist watch (the server answers NoNode but keeps the watch); other reads and addWatch only on success.
/// </summary>
internal sealed record WatchRegistration(WatchKind Kind, string ClientPath, Watcher Watcher)
{
    public bool ShouldRegister(ErrorCode code) =>
        code == ErrorCode.Ok || (Kind == WatchKind.Exist && code == ErrorCode.NoNode);

    public WatchKind EffectiveKind(ErrorCode code) =>
        Kind == WatchKind.Exist && code == ErrorCode.Ok ? WatchKind.Data : Kind;
}
