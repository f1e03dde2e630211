using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Cloud.Shared.Hosting;
using Cloud.Testing;
using Cloud.ZooKeeper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit;

namespace Cloud.Constructor.Tests.Support;

/// <summary>A real ZooKeeper with a super user and the real constructor process authenticated as it, with an admin key.</summary>
public sealed class EnrollmentFixture : IAsyncLifetime
{
    public const string AdminKey = "enrollment-admin-key";
    public const string TokensPath = "/api/v1/platform/configuration/security/enrollment-tokens";
    public const string EnrollPath = "/api/v1/platform/configuration/security/enrollments";

    public ZooKeeperSuperUser SuperUser { get; } = new();

    public ZooKeeperServer ZooKeeper { get; private set; } = null!;

    public RoleProcess Constructor { get; private set; } = null!;

    public HttpClient Api { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        ZooKeeper = await ZooKeeperServer.StartAsync([SuperUser.SystemProperty]);
        Constructor = RoleProcess.Start("Constructor", new Dictionary<string, string>
        {
            ["ZooKeeper:ConnectString"] = ZooKeeper.ConnectString,
            ["ZooKeeper:Digest"] = SuperUser.Digest,
            ["Api:AdminKey"] = AdminKey,
        });
        Api = new HttpClient { BaseAddress = Constructor.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        await Eventually.AssertAsync(
            async () => (await Api.GetAsync(new Uri("/health", UriKind.Relative))).IsSuccessStatusCode,
            TimeSpan.FromSeconds(90),
            "the constructor to answer /health");
    }

    /// <summary>Sends JSON, with the admin key unless <paramref name="apiKey"/> is empty; returns the status and the parsed body.</summary>
    public async Task<(int Status, JsonElement Body)> PostAsync(string path, string json, string? apiKey = AdminKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        return await SendAsync(request, apiKey);
    }

    /// <summary>GETs with the admin key; returns the status and the parsed body.</summary>
    public async Task<(int Status, JsonElement Body)> GetAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        return await SendAsync(request, AdminKey);
    }

    private async Task<(int Status, JsonElement Body)> SendAsync(HttpRequestMessage request, string? apiKey)
    {
        if (!string.IsNullOrEmpty(apiKey))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("ApiKey", apiKey);
        }

        using var response = await Api.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text.Length == 0 ? "null" : text);
        return ((int)response.StatusCode, document.RootElement.Clone());
    }

    public async Task<string> IssueTokenAsync(string roles, int validitySeconds = 600)
    {
        var (status, body) = await PostAsync(TokensPath, $"{{\"roles\":[{string.Join(',', roles.Split(',').Select(r => $"\"{r}\""))}],\"validity_seconds\":{validitySeconds}}}");
        if (status != 201)
        {
            throw new InvalidOperationException($"Token request answered {status}: {body}");
        }

        return body.GetProperty("token").GetString()!;
    }

    /// <summary>Enrolls a host with the token (no API key) and returns its <c>user:password</c>.</summary>
    public async Task<string> EnrollAsync(string token, string hostId, string roles)
    {
        var (status, body) = await PostAsync(EnrollPath, EnrollBody(token, hostId, roles), apiKey: null);
        if (status != 201)
        {
            throw new InvalidOperationException($"Enrollment answered {status}: {body}");
        }

        return body.GetProperty("zookeeper_digest").GetString()!;
    }

    public static string EnrollBody(string token, string hostId, string roles) =>
        $"{{\"token\":\"{token}\",\"host_id\":\"{hostId}\",\"roles\":[{string.Join(',', roles.Split(',').Select(r => $"\"{r}\""))}]}}";

    /// <summary>
    /// The session an agent holds with these credentials: the same <see cref="ZooKeeperConnection"/> the
    /// runner and allocator use (so its nodes get the agent's ACLs). Null: no identity.
    /// </summary>
    public ZooKeeperConnection ConnectAs(string? digest) =>
        new(
            Options.Create(new ZooKeeperOptions { ConnectString = ZooKeeper.ConnectString, Digest = digest }),
            NullLoggerFactory.Instance,
            TimeProvider.System);

    public static async Task<ZooKeeperClient> ClientAsync(ZooKeeperConnection connection)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await connection.GetClientAsync(timeout.Token);
    }

    public async Task DisposeAsync()
    {
        Api?.Dispose();
        if (Constructor is not null)
        {
            await Constructor.DisposeAsync();
        }

        if (ZooKeeper is not null)
        {
            await ZooKeeper.DisposeAsync();
        }
    }
}
