using System.Collections.Immutable;
using Cloud.Allocator.Images;
using Cloud.Shared.Allocators;
using FluentAssertions;
using Xunit;

namespace Cloud.Allocator.Tests.Images;

public sealed class ImageCheckTests
{
    private const string Template = "cloud/elasticsearch:{version}";
    private static readonly ImmutableHashSet<string> HostImages = ["cloud/elasticsearch:8.15.0", "cloud/elasticsearch:8.16.0", "custom/es:latest"];

    [Theory]
    [InlineData("8.15.0", null, null)]
    [InlineData("8.16.0", null, null)]
    [InlineData("99.99.99", null, "not present on host host-1")]
    [InlineData("8.15.0:latest@x y", null, "not a valid image tag")]
    [InlineData("8.15.0 ", null, "not a valid image tag")]
    [InlineData("", null, "not a valid image tag")]
    [InlineData(".8", null, "not a valid image tag")]
    [InlineData("8.15.0", "custom/es", null)]
    [InlineData("8.15.0", "custom/es:latest", null)]
    [InlineData("99.99.99", "custom/es:latest", null)]
    [InlineData("8.15.0", "Custom/ES:1", "not a valid image reference")]
    [InlineData("8.15.0", "custom/es:1 2", "not a valid image reference")]
    [InlineData("8.15.0", "custom/other:1", "not present")]
    [InlineData("8.15.0", "registry.local:5000/es@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", null)]
    public void Refusal_KnownHostImages_AsTabled(string version, string? dockerImage, string? refusal)
    {
        var reason = ImageCheck.Refusal(Assignment(version, dockerImage), Template, HostImages, "host-1");

        if (refusal is null)
        {
            reason.Should().BeNull();
        }
        else
        {
            reason.Should().Contain(refusal);
        }
    }

    [Theory]
    [InlineData("99.99.99", null)]
    [InlineData("8.15.0", "custom/anything:1")]
    public void Refusal_HostImagesUnknown_OnlySyntaxChecked(string version, string? dockerImage)
    {
        ImageCheck.Refusal(Assignment(version, dockerImage), Template, null, "host-1").Should().BeNull();
        ImageCheck.Refusal(Assignment(version + ":x@y z", null), Template, null, "host-1").Should().NotBeNull();
    }

    private static InstanceAssignment Assignment(string version, string? dockerImage) => new()
    {
        ClusterId = "c1",
        ClusterName = "logs",
        InstanceName = "instance-0",
        Version = version,
        DockerImage = dockerImage,
        MemoryMb = 1024,
        Zone = "zone-1",
    };
}
