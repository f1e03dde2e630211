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
    public void Check_MissingFileSource_ReportedMissingAndNothingCreated()
    {
        Directory.CreateDirectory($"{_root}/es-1");

        var check = BindSourceGuard.Check(Spec($"{_root}/es-1/unicast_hosts.txt:/usr/share/elasticsearch/config/unicast_hosts.txt:ro"), _root);

        check.Refusals.Should().BeEmpty();
        check.Missing.Should().ContainSingle().Which.Should().Contain("unicast_hosts.txt").And.Contain("does not exist");
        Path.Exists($"{_root}/es-1/unicast_hosts.txt").Should().BeFalse("a file bind whose source is missing must not become a directory");
    }

    [Fact]
    public void Check_ExistingDirectory_Ready()
    {
        Directory.CreateDirectory($"{_root}/es-1/data");

        BindSourceGuard.Check(Spec($"{_root}/es-1/data:/data"), _root).IsReady.Should().BeTrue();
    }

    [Fact]
    public void Check_ExistingFile_ReadyAndKeptAsFile()
    {
        Directory.CreateDirectory($"{_root}/es-1");
        File.WriteAllText($"{_root}/es-1/hosts.txt", "a");

        BindSourceGuard.Check(Spec($"{_root}/es-1/hosts.txt:/hosts.txt:ro"), _root).IsReady.Should().BeTrue();

        File.ReadAllText($"{_root}/es-1/hosts.txt").Should().Be("a");
    }

    [Fact]
    public void Check_SymlinkPlantedUnderRoot_Refused()
    {
        Directory.CreateDirectory($"{_root}/es-1");
        Directory.CreateSymbolicLink($"{_root}/es-1/escape", _outside);

        var errors = BindSourceGuard.Check(Spec($"{_root}/es-1/escape/etc:/x"), _root).Refusals;

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
