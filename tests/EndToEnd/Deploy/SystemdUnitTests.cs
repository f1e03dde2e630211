using System.Diagnostics;
using Cloud.Testing;
using FluentAssertions;
using Xunit;

namespace Cloud.EndToEnd.Tests.Deploy;

/// <summary>
/// The units in deploy/systemd pass <c>systemd-analyze verify</c> (inside a scratch root holding the
/// role binaries they start and systemd's own units), and each keeps the settings operations rely on.
/// </summary>
[Trait("Category", "Integration")]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SystemdUnitTests
{
    private static readonly string[] RoleNames = ["runner", "allocator", "constructor", "proxy"];

    private static readonly string[] Hardening = ["NoNewPrivileges=true", "ProtectSystem=strict", "ProtectHome=true", "PrivateTmp=true"];

    public static TheoryData<string> Roles => new(RoleNames);

    private static string UnitDirectory => Path.Combine(RepositoryRoot.Path, "deploy", "systemd");

    [Fact]
    public async Task Verify_EveryUnit_Passes()
    {
        using var root = new ScratchRoot();
        foreach (var role in RoleNames)
        {
            root.Install(File.ReadAllText(Path.Combine(UnitDirectory, $"cloud-{role}.service")), $"cloud-{role}.service", role);
        }

        var (code, output) = await root.VerifyAsync(RoleNames.Select(r => $"cloud-{r}.service"));

        code.Should().Be(0, output);
        output.Should().BeEmpty();
    }

    [Fact]
    public async Task Verify_UnitStartingAMissingBinary_Fails()
    {
        // The check must be able to fail: the same unit pointing at a binary that is not there is refused.
        using var root = new ScratchRoot();
        var broken = File.ReadAllText(Path.Combine(UnitDirectory, "cloud-runner.service")).Replace("/Cloud.Runner ", "/Cloud.Runnr ", StringComparison.Ordinal);
        root.Install(broken, "cloud-runner.service", "runner");

        var (code, output) = await root.VerifyAsync(["cloud-runner.service"]);

        code.Should().NotBe(0);
        output.Should().Contain("Cloud.Runnr");
    }

    [Fact]
    public async Task Verify_MisspeltSetting_IsReported()
    {
        // systemd only warns about a bad value; the clean run above asserts there is no output at all.
        using var root = new ScratchRoot();
        var broken = File.ReadAllText(Path.Combine(UnitDirectory, "cloud-runner.service")).Replace("Type=notify", "Type=notifyy", StringComparison.Ordinal);
        root.Install(broken, "cloud-runner.service", "runner");

        var (_, output) = await root.VerifyAsync(["cloud-runner.service"]);

        output.Should().Contain("notifyy");
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public void Unit_HasTheOperationalSettings(string role)
    {
        var lines = File.ReadAllLines(Path.Combine(UnitDirectory, $"cloud-{role}.service")).Select(l => l.Trim()).ToHashSet();
        var title = char.ToUpperInvariant(role[0]) + role[1..];

        lines.Should().Contain("Type=notify");
        lines.Should().Contain("Restart=on-failure");
        lines.Should().Contain($"ExecStart=/opt/cloud/{role}/Cloud.{title} --config /etc/cloud/{role}.json");
        lines.Should().Contain($"EnvironmentFile=-/etc/cloud/{role}.env");
        lines.Should().Contain(Hardening);
        lines.Should().Contain(l => l.StartsWith("ReadWritePaths=/var/lib/cloud", StringComparison.Ordinal));
        if (role is "constructor" or "proxy")
        {
            lines.Should().Contain($"User=cloud-{role}", "roles that need no privilege run as their own user");
            lines.Should().Contain("CapabilityBoundingSet=");
        }
    }

    private sealed class ScratchRoot : IDisposable
    {
        private readonly string _path = Directory.CreateTempSubdirectory("cloud-systemd-").FullName;

        public ScratchRoot()
        {
            PlatformPackages.Install("systemd");

            // verify resolves dependencies (sysinit.target, network-online.target...) inside the root.
            CopyDirectory("/lib/systemd/system", Path.Combine(_path, "usr", "lib", "systemd", "system"));
            Directory.CreateDirectory(Path.Combine(_path, "etc", "systemd", "system"));
        }

        public void Install(string unit, string name, string role)
        {
            File.WriteAllText(Path.Combine(_path, "etc", "systemd", "system", name), unit);
            var binary = Path.Combine(_path, "opt", "cloud", role, "Cloud." + char.ToUpperInvariant(role[0]) + role[1..]);
            Directory.CreateDirectory(Path.GetDirectoryName(binary)!);
            File.WriteAllText(binary, "#!/bin/sh\n");
            File.SetUnixFileMode(binary, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        public async Task<(int Code, string Output)> VerifyAsync(IEnumerable<string> units)
        {
            var info = new ProcessStartInfo("systemd-analyze")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = Path.Combine(_path, "etc", "systemd", "system"),
            };
            info.ArgumentList.Add("verify");
            info.ArgumentList.Add("--root=" + _path);
            foreach (var unit in units)
            {
                info.ArgumentList.Add(unit);
            }

            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, (await stdout + await stderr).Trim());
        }

        public void Dispose() => Directory.Delete(_path, recursive: true);

        private static void CopyDirectory(string source, string target)
        {
            Directory.CreateDirectory(target);
            foreach (var file in Directory.EnumerateFiles(source))
            {
                var info = new FileInfo(file);
                if (info.LinkTarget is { } link)
                {
                    File.CreateSymbolicLink(Path.Combine(target, info.Name), link);
                }
                else
                {
                    File.Copy(file, Path.Combine(target, info.Name));
                }
            }

            foreach (var directory in Directory.EnumerateDirectories(source))
            {
                var info = new DirectoryInfo(directory);
                if (info.LinkTarget is { } link)
                {
                    Directory.CreateSymbolicLink(Path.Combine(target, info.Name), link);
                }
                else
                {
                    CopyDirectory(directory, Path.Combine(target, info.Name));
                }
            }
        }
    }
}
