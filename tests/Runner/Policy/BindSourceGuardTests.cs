using Cloud.Runner.Policy;
using Cloud.Shared.Containers;
using FluentAssertions;
using Xunit;

namespace Cloud.Runner.Tests.Policy;

public sealed class BindSourceGuardTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "runner-guard-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly string _outside = Path.Combine(Path.GetTempPath(), "runner-outside-" + Guid.NewGuid().ToString("N")[..8]);

    public BindSourceGuardTests()
    {
        Directory.CreateDirectory(_root);
        Directory.CreateDirectory(_outside);
    }

    [Fact]
    public void Prepare_MissingSource_CreatesDirectory()
    {
        var errors = BindSourceGuard.Prepare(Spec($"{_root}/es-1/data:/data"), _root);

        errors.Should().BeEmpty();
        Directory.Exists($"{_root}/es-1/data").Should().BeTrue();
    }

    [Fact]
    public void Prepare_ExistingFile_KeptAsFile()
    {
        Directory.CreateDirectory($"{_root}/es-1");
        File.WriteAllText($"{_root}/es-1/hosts.txt", "a");

        BindSourceGuard.Prepare(Spec($"{_root}/es-1/hosts.txt:/hosts.txt:ro"), _root).Should().BeEmpty();

        File.ReadAllText($"{_root}/es-1/hosts.txt").Should().Be("a");
    }

    [Fact]
    public void Prepare_SymlinkPlantedUnderRoot_Refused()
    {
        Directory.CreateDirectory($"{_root}/es-1");
        Directory.CreateSymbolicLink($"{_root}/es-1/escape", _outside);

        var errors = BindSourceGuard.Prepare(Spec($"{_root}/es-1/escape/etc:/x"), _root);

        errors.Should().ContainSingle().Which.Should().Contain("symbolic link");
        Directory.Exists(Path.Combine(_outside, "etc")).Should().BeFalse();
    }

    public void Dispose()
    {
        Directory.Delete(_root, recursive: true);
        Directory.Delete(_outside, recursive: true);
    }

    private static ContainerSpec Spec(string bind) => new() { Image = "x", HostConfig = new HostConfigSpec { Binds = [bind] } };
}
