using Cloud.ElasticsearchNode.Cluster.Allocation;
using FluentAssertions;
using Xunit;

namespace Cloud.ElasticsearchNode.Tests.Cluster.Allocation;

public sealed class AllocationSettingsTests
{
    [Theory]
    [InlineData(AllocationSettings.EnableKey, "primaries")]
    [InlineData(AllocationSettings.EnableKey, "ALL")]
    [InlineData(AllocationSettings.EnableKey, null)]
    [InlineData(AllocationSettings.EnableKey, "")]
    [InlineData(AllocationSettings.RebalanceEnableKey, "")]
    [InlineData(AllocationSettings.ConcurrentRecoveriesKey, "")]
    [InlineData(AllocationSettings.ConcurrentRecoveriesKey, "4")]
    public void Validate_AllowedValueOrReset_Accepted(string key, string? value) =>
        AllocationSettings.Validate(key, value).Should().BeNull();

    [Theory]
    [InlineData(AllocationSettings.EnableKey, "some")]
    [InlineData(AllocationSettings.RebalanceEnableKey, "new_primaries")]
    [InlineData(AllocationSettings.ConcurrentRebalanceKey, "-1")]
    public void Validate_IllegalValue_Refused(string key, string value) =>
        AllocationSettings.Validate(key, value).Should().Contain(key);
}
