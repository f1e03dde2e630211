using System.Collections.Immutable;

namespace Cloud.EndToEnd.Tests.Telemetry;

/// <summary>One sample line of Prometheus' text exposition format.</summary>
public sealed record PrometheusSample(string Name, ImmutableDictionary<string, string> Labels, double Value);
