using Microsoft.Extensions.Configuration;
using Serilog;
using Serilog.Events;

namespace Cloud.Shared.Hosting;

/// <summary>
/// Log levels from configuration, Serilog's own keys: <c>Serilog:MinimumLevel</c> (or
/// <c>Serilog:MinimumLevel:Default</c>) and <c>Serilog:MinimumLevel:Override:&lt;source&gt;</c>. Read here
/// rather than by Serilog.Settings.Configuration, which finds sinks by reflection over the loaded
/// assemblies and so cannot run in the natively compiled agents; levels are all the roles configure.
/// Besides Serilog's level names, <c>Off</c> (Serilog's <see cref="LevelAlias.Off"/>) turns a source off entirely:
/// its loggers then answer false even for <c>Critical</c>, which is what the framework asks before doing
/// per-request work for logging (ASP.NET Core's hosting creates an Activity and a log scope per request when its
/// <c>Microsoft.AspNetCore.Hosting.Diagnostics</c> logger is enabled at any level).
/// </summary>
internal static class LogLevels
{
    private const string Section = "Serilog:MinimumLevel";

    public static LoggerConfiguration Apply(LoggerConfiguration logger, IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        logger.MinimumLevel.Is(Parse(section.Value ?? section["Default"], Section, LogEventLevel.Information));
        logger.MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning);
        logger.MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information);
        foreach (var source in section.GetSection("Override").GetChildren())
        {
            logger.MinimumLevel.Override(source.Key, Parse(source.Value, source.Path, LogEventLevel.Information));
        }

        return logger;
    }

    private static LogEventLevel Parse(string? value, string key, LogEventLevel fallback)
    {
        if (string.IsNullOrEmpty(value))
        {
            return fallback;
        }

        if (string.Equals(value, nameof(LevelAlias.Off), StringComparison.OrdinalIgnoreCase))
        {
            return LevelAlias.Off;
        }

        return Enum.TryParse<LogEventLevel>(value, ignoreCase: true, out var level) && Enum.IsDefined(level)
            ? level
            : throw new InvalidOperationException($"{key} must be one of {string.Join(", ", Enum.GetNames<LogEventLevel>())} or {nameof(LevelAlias.Off)}, not '{value}'.");
    }
}
