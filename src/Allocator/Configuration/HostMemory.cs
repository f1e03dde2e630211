using System.Globalization;

namespace Cloud.Allocator.Configuration;

/// <summary>The host's physical memory, from <c>/proc/meminfo</c>.</summary>
internal static class HostMemory
{
    public const string MemInfoPath = "/proc/meminfo";

    public static long DetectTotalMb() => File.Exists(MemInfoPath) ? ParseTotalMb(File.ReadAllText(MemInfoPath)) : 0;

    /// <summary>Reads <c>MemTotal: 24683716 kB</c> as whole MiB; 0 when absent.</summary>
    public static long ParseTotalMb(string memInfo)
    {
        ArgumentNullException.ThrowIfNull(memInfo);
        foreach (var line in memInfo.Split('\n'))
        {
            if (!line.StartsWith("MemTotal:", StringComparison.Ordinal))
            {
                continue;
            }

            var parts = line["MemTotal:".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 1 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var kb))
            {
                return kb / 1024;
            }
        }

        return 0;
    }
}
