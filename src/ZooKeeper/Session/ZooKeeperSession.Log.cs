using Microsoft.Extensions.Logging;

namespace Cloud.ZooKeeper.Session;

internal sealed partial class ZooKeeperSession
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to ZooKeeper {Host}, session 0x{SessionId:x}, timeout {TimeoutMs} ms, new session {IsNew}")]
    private static partial void LogConnected(ILogger logger, HostEndpoint host, long sessionId, int timeoutMs, bool isNew);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the connection to ZooKeeper {Host} (session 0x{SessionId:x}): {Reason}")]
    private static partial void LogDisconnected(ILogger logger, HostEndpoint host, long sessionId, string? reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not connect to ZooKeeper {Host}: {Reason}")]
    private static partial void LogConnectFailed(ILogger logger, HostEndpoint host, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "ZooKeeper {Host} reports session 0x{SessionId:x} expired")]
    private static partial void LogExpiredByServer(ILogger logger, long sessionId, HostEndpoint host);

    [LoggerMessage(Level = LogLevel.Warning, Message = "ZooKeeper session 0x{SessionId:x} considered expired: disconnected longer than its {TimeoutMs} ms timeout")]
    private static partial void LogExpiredLocally(ILogger logger, long sessionId, double timeoutMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Closing stale ZooKeeper session 0x{SessionId:x} so its ephemeral nodes go now")]
    private static partial void LogClosingStaleSession(ILogger logger, long sessionId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Restored watches: {Data} data, {Exist} exist, {Child} child, {Persistent} persistent since zxid 0x{Zxid:x} in {Batches} SetWatches packets")]
    private static partial void LogWatchesRestored(ILogger logger, int data, int exist, int child, int persistent, long zxid, int batches);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not close stale ZooKeeper session 0x{SessionId:x} at {Host}: {Reason}")]
    private static partial void LogStaleCloseFailed(ILogger logger, long sessionId, HostEndpoint host, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Closing the ZooKeeper session cleanly failed")]
    private static partial void LogCloseFailed(ILogger logger, Exception exception);
}
