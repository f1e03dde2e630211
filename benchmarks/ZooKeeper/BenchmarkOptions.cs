using System.Globalization;

namespace Cloud.ZooKeeper.Benchmarks;

/// <summary>Command line: connectString [operations] [concurrency] [valueBytes] [syncCalls].</summary>
internal sealed record BenchmarkOptions(string ConnectString, int Operations, int Concurrency, int ValueBytes, int SyncCalls)
{
    public static BenchmarkOptions Parse(string[] args)
    {
        if (args.Length < 1)
        {
            throw new ArgumentException("usage: Cloud.ZooKeeper.Benchmarks <connectString> [operations=100000] [concurrency=1000] [valueBytes=1024] [syncCalls=20000]");
        }

        int At(int index, int fallback) => args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;
        return new BenchmarkOptions(args[0], At(1, 100_000), At(2, 1000), At(3, 1024), At(4, 20_000));
    }
}
