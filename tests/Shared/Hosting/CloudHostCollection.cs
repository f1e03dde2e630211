using Xunit;

namespace Cloud.Shared.Tests.Hosting;

/// <summary>
/// Tests that build role hosts run one at a time: each host sets Serilog's process-wide static logger (a role
/// process has one host), so two built at once in this test process read each other's log levels.
/// </summary>
[CollectionDefinition(Name)]
public sealed class CloudHostCollection
{
    public const string Name = "cloud hosts";
}
