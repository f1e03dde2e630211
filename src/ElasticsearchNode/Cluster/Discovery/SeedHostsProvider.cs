using System.Collections.Immutable;
using Cloud.ElasticsearchNode.Cluster.Transport;

namespace Cloud.ElasticsearchNode.Cluster.Discovery;

/// <summary>
/// Seed addresses from <c>discovery.seed_hosts</c> plus the file seed provider's
/// <c>unicast_hosts.txt</c> (one address a line, <c>#</c> comments), re-read whenever the file's
/// timestamp or size changes so the allocator can add peers without restarting the node.
/// </summary>
internal sealed class SeedHostsProvider(ImmutableArray<string> settingHosts, string? file)
{
    private readonly Lock _gate = new();
    private (DateTime Modified, long Length) _stamp;
    private ImmutableArray<string> _fileHosts = [];

    public ImmutableArray<string> Current()
    {
        var hosts = settingHosts.IsDefault ? [] : settingHosts;
        return [.. hosts.Concat(FileHosts()).Select(TryNormalize).OfType<string>().Distinct(StringComparer.Ordinal)];
    }

    private ImmutableArray<string> FileHosts()
    {
        if (file is null)
        {
            return [];
        }

        var info = new FileInfo(file);
        if (!info.Exists)
        {
            return [];
        }

        lock (_gate)
        {
            var stamp = (info.LastWriteTimeUtc, info.Length);
            if (stamp != _stamp)
            {
                try
                {
                    _fileHosts =
                    [
                        .. File.ReadAllLines(file)
                            .Select(l => l.Trim())
                            .Where(l => l.Length > 0 && !l.StartsWith('#')),
                    ];
                    _stamp = stamp;
                }
                catch (IOException)
                {
                    // Being rewritten: keep the last good list and read it again next round.
                }
            }

            return _fileHosts;
        }
    }

    private static string? TryNormalize(string address)
    {
        try
        {
            return TransportAddress.Normalize(address);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
