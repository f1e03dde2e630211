using System.Globalization;

namespace Cloud.ZooKeeper.Session;

/// <summary>A parsed connect string: "host:port,host:port/optional/chroot".</summary>
internal sealed record ConnectString(IReadOnlyList<HostEndpoint> Hosts, string? Chroot)
{
    public const int DefaultPort = 2181;

    public static ConnectString Parse(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        string? chroot = null;
        var hostsPart = value.Trim();
        var slash = hostsPart.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            chroot = hostsPart[slash..];
            hostsPart = hostsPart[..slash];
            if (chroot == "/")
            {
                chroot = null;
            }
            else
            {
                PathValidator.Validate(chroot);
            }
        }

        var hosts = new List<HostEndpoint>();
        foreach (var part in hostsPart.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = part.LastIndexOf(':');
            if (colon <= 0 || part.EndsWith(']'))
            {
                hosts.Add(new HostEndpoint(part.Trim('[', ']'), DefaultPort));
                continue;
            }

            if (!int.TryParse(part.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is <= 0 or > 65535)
            {
                throw new ArgumentException($"Invalid port in ZooKeeper connect string entry '{part}'.", nameof(value));
            }

            hosts.Add(new HostEndpoint(part[..colon].Trim('[', ']'), port));
        }

        if (hosts.Count == 0)
        {
            throw new ArgumentException($"ZooKeeper connect string '{value}' names no server.", nameof(value));
        }

        return new ConnectString(hosts, chroot);
    }

    /// <summary>Client path to server path: the client's "/" is the chroot node.</summary>
    public string ToServerPath(string clientPath) =>
        Chroot is null ? clientPath : clientPath == "/" ? Chroot : Chroot + clientPath;

    /// <summary>
    /// The path a delete is sent for. Deleting the client's root is never valid: like the Java client we send
    /// "/" itself, which the server refuses, instead of deleting the chroot node.
    /// </summary>
    public string ToServerDeletePath(string clientPath) => clientPath == "/" ? "/" : ToServerPath(clientPath);

    /// <summary>
    /// The path a create is sent for. A sequential "/" names children of the root, so under a chroot the
    /// counter must follow "chroot/", not be glued to the chroot's own name.
    /// </summary>
    public string ToServerCreatePath(string clientPath, bool sequential) =>
        sequential && clientPath == "/" && Chroot is not null ? Chroot + "/" : ToServerPath(clientPath);

    /// <summary>Server path to client path (the chroot removed).</summary>
    public string ToClientPath(string serverPath)
    {
        if (Chroot is null)
        {
            return serverPath;
        }

        if (serverPath == Chroot)
        {
            return "/";
        }

        return serverPath.StartsWith(Chroot + "/", StringComparison.Ordinal) ? serverPath[Chroot.Length..] : serverPath;
    }
}
