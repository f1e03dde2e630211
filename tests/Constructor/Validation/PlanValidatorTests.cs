using System.Collections.Immutable;
using System.Text;
using Cloud.Constructor.Api;
using Cloud.Constructor.Plans;
using Cloud.Constructor.Validation;
using FluentAssertions;
using Xunit;

namespace Cloud.Constructor.Tests.Validation;

public sealed class PlanValidatorTests
{
    private static readonly string[] Versions = ["8.15.0", "8.16.0", "9.0.0"];

    private const string Good = """
        {"elasticsearch":{"version":"8.15.0"},"cluster_topology":[{"node_roles":["master","data","ingest"],"memory_per_node":1024,"node_count_per_zone":1,"zone_count":3}]}
        """;

    public static TheoryData<string, string, string?> BadPlans => new()
    {
        { "{", "request.malformed_json", null },
        { "[1,2]", "request.invalid_type", null },
        { """{"elasticsearch":{"version":"8.15.0"},"cluster_topology":[{"memory_per_node":1024,"colour":"red"}]}""", "request.unknown_field", "cluster_topology[0].colour" },
        { """{"elasticsearch":{"version":"8.15.0"},"cluster_topology":[{"memory_per_node":"big"}]}""", "request.invalid_type", "cluster_topology[0].memory_per_node" },
        { """{"elasticsearch":{"version":"8.15.0"},"cluster_topology":[{"memory_per_node":1024,"zone_count":"3"}]}""", "request.invalid_type", "cluster_topology[0].zone_count" },
        { """{"cluster_topology":[{"memory_per_node":1024}]}""", "plan.version_missing", "elasticsearch.version" },
        { """{"elasticsearch":{"version":" "},"cluster_topology":[{"memory_per_node":1024}]}""", "plan.version_missing", "elasticsearch.version" },
        { """{"elasticsearch":{"version":"eight"},"cluster_topology":[{"memory_per_node":1024}]}""", "plan.version_invalid", "elasticsearch.version" },
        { """{"elasticsearch":{"version":"7.1.0"},"cluster_topology":[{"memory_per_node":1024}]}""", "plan.version_unavailable", "elasticsearch.version" },
        { """{"elasticsearch":{"version":"8.15.0","docker_image":"bad image;rm -rf"},"cluster_topology":[{"memory_per_node":1024}]}""", "plan.docker_image_invalid", "elasticsearch.docker_image" },
        { """{"elasticsearch":{"version":"8.15.0","user_settings":{"path.data":"/etc"}},"cluster_topology":[{"memory_per_node":1024}]}""", "plan.user_setting_reserved", "elasticsearch.user_settings.path.data" },
        { """{"elasticsearch":{"version":"8.15.0","user_settings":{"discovery.seed_hosts":"x"}},"cluster_topology":[{"memory_per_node":1024}]}""", "plan.user_setting_reserved", "elasticsearch.user_settings.discovery.seed_hosts" },
        { """{"elasticsearch":{"version":"8.15.0","user_settings":{"Bad Name":1}},"cluster_topology":[{"memory_per_node":1024}]}""", "plan.user_setting_invalid", "elasticsearch.user_settings.Bad Name" },
        { """{"elasticsearch":{"version":"8.15.0"},"cluster_topology":[]}""", "plan.topology_empty", "cluster_topology" },
        { """{"elasticsearch":{"version":"8.15.0"}}""", "plan.topology_empty", "cluster_topology" },
        { """{"elasticsearch":{"version":"8.15.0"},"cluster_topology":[{"memory_per_node":0}]}""", "plan.invalid_value", "cluster_topology[0].memory_per_node" },
        { """{"elasticsearch":{"version":"8.15.0"},"cluster_topology":[{"memory_per_node":1024,"node_count_per_zone":0}]}""", "plan.invalid_value", "cluster_topology[0].node_count_per_zone" },
        { """{"elasticsearch":{"version":"8.15.0"},"cluster_topology":[{"memory_per_node":1024,"zone_count":0}]}""", "plan.invalid_value", "cluster_topology[0].zone_count" },
        { """{"elasticsearch":{"version":"8.15.0"},"cluster_topology":[{"memory_per_node":1024,"node_roles":["wizard","master"]}]}""", "plan.invalid_value", "cluster_topology[0].node_roles" },
        { """{"elasticsearch":{"version":"8.15.0"},"cluster_topology":[{"memory_per_node":1024,"node_roles":["data"]}]}""", "plan.no_master", "cluster_topology" },
        { """{"elasticsearch":{"version":"8.15.0"},"cluster_topology":[{"memory_per_node":1024}],"transient":{"strategy":"yolo"}}""", "plan.strategy_unknown", "transient.strategy" },
        { """{"elasticsearch":{"version":"8.15.0"},"cluster_topology":[{"memory_per_node":1024}],"transient":{"strategy":"rolling","rolling":{"group_by":"__rack__"}}}""", "plan.invalid_value", "transient.rolling.group_by" },
        { """{"elasticsearch":{"version":"8.15.0"},"cluster_topology":[{"memory_per_node":1024}],"transient":{"plan_configuration":{"timeout_seconds":0}}}""", "plan.invalid_value", "transient.plan_configuration.timeout_seconds" },
    };

    [Theory]
    [MemberData(nameof(BadPlans))]
    public void Validate_BadPlan_RefusedWithFieldLevelError(string json, string code, string? field)
    {
        var errors = ReadAndValidate(json, current: null);

        errors.Should().Contain(e => e.Code == code && e.Field == field, $"'{json}' must be refused with {code} on {field}");
    }

    [Fact]
    public void Validate_GoodPlan_NoErrors() => ReadAndValidate(Good, null).Should().BeEmpty();

    [Fact]
    public void Validate_ImageOverride_AllowsAVersionWithoutPlatformImage() =>
        ReadAndValidate("""{"elasticsearch":{"version":"8.17.1","docker_image":"registry.local:5000/es/custom:8.17.1"},"cluster_topology":[{"memory_per_node":1024}]}""", null)
            .Should().BeEmpty();

    [Fact]
    public void Validate_SeveralProblems_AllReportedAtOnce()
    {
        var errors = ReadAndValidate("""{"elasticsearch":{},"cluster_topology":[{"memory_per_node":1,"zone_count":0,"node_roles":["data"]}],"transient":{"strategy":"x"}}""", null);

        errors.Select(e => e.Code).Should().Contain(["plan.version_missing", "plan.invalid_value", "plan.no_master", "plan.strategy_unknown"]);
        errors.Count(e => e.Code == "plan.invalid_value").Should().Be(2);
    }

    [Fact]
    public void Validate_Downgrade_Refused()
    {
        var current = Read(Good.Replace("8.15.0", "8.16.0", StringComparison.Ordinal));

        ReadAndValidate(Good, current).Should().ContainSingle(e => e.Code == "plan.version_downgrade" && e.Field == "elasticsearch.version");
    }

    [Fact]
    public void Validate_SkippingAMajor_Refused()
    {
        var nine = Good.Replace("8.15.0", "9.0.0", StringComparison.Ordinal);

        ReadAndValidate(nine, Read(Good)).Should().BeEmpty("one major up is fine");
        ReadAndValidate(nine, Read(Good.Replace("8.15.0", "7.17.0", StringComparison.Ordinal)))
            .Should().ContainSingle(e => e.Code == "plan.version_incompatible");
    }

    [Fact]
    public void Validate_VersionAndTopologyChangeTogether_RefusedUnlessTwoPhase()
    {
        var current = Read(Good);
        var both = Good.Replace("8.15.0", "8.16.0", StringComparison.Ordinal).Replace("1024", "2048", StringComparison.Ordinal);

        ReadAndValidate(both, current).Should().ContainSingle(e => e.Code == "plan.version_and_topology_change");
        ReadAndValidate(both.Replace("}]}", "}],\"transient\":{\"plan_configuration\":{\"two_phase\":true}}}", StringComparison.Ordinal), current).Should().BeEmpty();
        ReadAndValidate(Good.Replace("8.15.0", "8.16.0", StringComparison.Ordinal), current).Should().BeEmpty("a version change alone is fine");
        ReadAndValidate(Good.Replace("1024", "2048", StringComparison.Ordinal), current).Should().BeEmpty("a topology change alone is fine");
    }

    private static PlanSpec Read(string json) => StrictJson.Read<PlanSpec>(Encoding.UTF8.GetBytes(json)).Value!;

    private static ImmutableArray<ApiError> ReadAndValidate(string json, PlanSpec? current)
    {
        var (plan, errors) = StrictJson.Read<PlanSpec>(Encoding.UTF8.GetBytes(json));
        return plan is null ? errors : PlanValidator.Validate(plan, current, Versions, prefix: string.Empty);
    }
}
