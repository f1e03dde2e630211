using Cloud.ZooKeeper;

namespace Cloud.Constructor.Infrastructure;

/// <summary>Reads a node's children with their data in one pipelined batch; children gone meanwhile are left out.</summary>
public static class ZooKeeperReads
{
    public static async Task<IReadOnlyList<(string Name, byte[] Data)>> ChildrenWithDataAsync(ZooKeeperClient client, string path, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> names;
        try
        {
            names = (await client.GetChildrenAsync(path, cancellationToken: cancellationToken)).Children;
        }
        catch (NoNodeException)
        {
            return [];
        }

        var reads = names.Order(StringComparer.Ordinal).Select(async name =>
        {
            try
            {
                var data = await client.GetDataAsync(path + "/" + name, cancellationToken: cancellationToken);
                return (Name: name, Data: (byte[]?)data.Data);
            }
            catch (NoNodeException)
            {
                return (Name: name, Data: null);
            }
        });
        var results = await Task.WhenAll(reads);
        return [.. results.Where(r => r.Data is not null).Select(r => (r.Name, r.Data!))];
    }

    public static async Task<IReadOnlyList<string>> ChildrenAsync(ZooKeeperClient client, string path, CancellationToken cancellationToken)
    {
        try
        {
            return [.. (await client.GetChildrenAsync(path, cancellationToken: cancellationToken)).Children.Order(StringComparer.Ordinal)];
        }
        catch (NoNodeException)
        {
            return [];
        }
    }
}
