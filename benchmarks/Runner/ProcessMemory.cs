using System.Globalization;

namespace Cloud.Runner.Benchmarks;

/// <summary>
/// A process's resident memory in MB: <c>Rss</c> = <c>Anonymous</c> (heaps, stacks, JIT code: its own) +
/// <c>File</c> (mapped executables and assemblies, shared with every process mapping the same files);
/// <c>Pss</c> charges shared pages proportionally.
/// </summary>
internal sealed record ProcessMemory(double Rss, double Anonymous, double File, double Pss)
{
    public static ProcessMemory Of(int pid)
    {
        var status = Fields($"/proc/{pid}/status");
        var rollup = Fields($"/proc/{pid}/smaps_rollup");
        return new ProcessMemory(status["VmRSS"], status["RssAnon"], status["RssFile"] + status["RssShmem"], rollup["Pss"]);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"RSS {Rss:F1} MB (anonymous {Anonymous:F1}, file-backed {File:F1}), PSS {Pss:F1} MB");

    /// <summary>The <c>Name:   1234 kB</c> lines of a /proc file, in MB.</summary>
    private static Dictionary<string, double> Fields(string path) => System.IO.File.ReadLines(path)
        .Select(l => l.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
        .Where(p => p.Length >= 3 && p[0].EndsWith(':') && p[2] == "kB")
        .ToDictionary(p => p[0].TrimEnd(':'), p => long.Parse(p[1], CultureInfo.InvariantCulture) / 1024.0, StringComparer.Ordinal);
}
