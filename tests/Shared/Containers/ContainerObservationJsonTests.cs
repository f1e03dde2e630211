using System.Text.Json;
using Cloud.Shared.Containers;
using Cloud.Shared.Serialization;
using FluentAssertions;
using Xunit;

namespace Cloud.Shared.Tests.Containers;

public sealed class ContainerObservationJsonTests
{
    private static readonly string[] ContractKeys = ["state", "health", "started_at", "exit_code", "restart_count", "definition_hash", "error"];

    [Fact]
    public void Serialize_RefusedWithNothingKnown_StillWritesEveryContractKey()
    {
        var refused = new ContainerObservation { State = ContainerStates.Refused, Error = "HostConfig.Privileged is refused" };

        using var json = JsonDocument.Parse(CloudJson.Serialize(refused));

        json.RootElement.EnumerateObject().Select(p => p.Name).Should().Contain(ContractKeys);
        json.RootElement.GetProperty("exit_code").ValueKind.Should().Be(JsonValueKind.Null);
        json.RootElement.GetProperty("error").GetString().Should().Be("HostConfig.Privileged is refused");
    }

    [Fact]
    public void Serialize_Running_WritesEveryContractKeyWithNullError()
    {
        var running = new ContainerObservation
        {
            State = ContainerStates.Running,
            Health = "healthy",
            StartedAt = DateTimeOffset.UnixEpoch,
            RestartCount = 2,
            DefinitionHash = "abc",
        };

        using var json = JsonDocument.Parse(CloudJson.Serialize(running));

        json.RootElement.EnumerateObject().Select(p => p.Name).Should().Contain(ContractKeys);
        json.RootElement.GetProperty("error").ValueKind.Should().Be(JsonValueKind.Null);
        json.RootElement.GetProperty("restart_count").GetInt32().Should().Be(2);
    }
}
