namespace Cloud.ZooKeeper;

/// <summary>How a <see cref="ZooKeeperClient"/> connects.</summary>
public sealed class ZooKeeperClientOptions
{
    /// <summary>"127.0.0.1:2181,127.0.0.1:2182/optional/chroot".</summary>
    public required string ConnectString { get; init; }

    /// <summary>Requested session timeout; the server clamps it to [2, 20] ticks.</summary>
    public TimeSpan SessionTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest a call waits for its reply (including waiting for a connection).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Longest <see cref="ZooKeeperClient.ConnectAsync"/> waits for the first connection; defaults to <see cref="RequestTimeout"/>.</summary>
    public TimeSpan? ConnectTimeout { get; init; }

    /// <summary>After expiry, open a new session automatically (Curator-like). Otherwise the client stays expired.</summary>
    public bool RenewSessionOnExpiry { get; init; } = true;

    /// <summary>The server's jute.maxbuffer: larger requests are refused on the client with <see cref="DataTooLargeException"/>.</summary>
    public int MaxPacketLength { get; init; } = 0xfffff;

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// The ACL of a node created without one, by path (Curator's ACLProvider): lets a caller keep its
    /// own nodes writable only by its identity without passing an ACL at every call. Null: world:anyone.
    /// </summary>
    public Func<string, IReadOnlyList<Acl>>? DefaultAcl { get; init; }
}
