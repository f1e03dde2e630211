using System.Collections.Immutable;
using Cloud.Constructor.Api;
using Cloud.Shared.Hosting;
using Cloud.Shared.Serialization;
using Cloud.ZooKeeper;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cloud.Constructor.Enrollment;

/// <summary>
/// Issues enrollment tokens and trades them for per-host ZooKeeper credentials. A token is a random
/// secret kept as a hash under <see cref="EnrollmentPaths.Tokens"/> (readable by the constructor's
/// identity only); it may be used by any number of hosts until it expires, each for the token's roles
/// only. Needs the constructor to hold ZooKeeper's super credentials (<c>ZooKeeper:Digest</c>): it sets
/// ACLs on nodes hosts created.
/// </summary>
internal sealed partial class EnrollmentService(
    ZooKeeperConnection zooKeeper,
    IOptions<ZooKeeperOptions> zooKeeperOptions,
    TimeProvider time,
    ILogger<EnrollmentService> logger)
{
    private static readonly EnrollmentRefusal InvalidToken = new(
        StatusCodes.Status401Unauthorized,
        new ApiError("enrollment.token_invalid", "The token is unknown or malformed.", "token"));

    private static readonly EnrollmentRefusal Unavailable = new(
        StatusCodes.Status409Conflict,
        new ApiError("enrollment.unavailable", "Enrollment needs the constructor to authenticate to ZooKeeper as its super user (ZooKeeper:Digest); see docs/operations.md."));

    public async Task<EnrollmentOutcome<IssuedToken>> IssueAsync(EnrollmentTokenRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrEmpty(zooKeeperOptions.Value.Digest))
        {
            return Unavailable;
        }

        var roles = request.Roles!.Value.Distinct(StringComparer.Ordinal).ToImmutableArray();
        var now = time.GetUtcNow();
        var expiresAt = now.AddSeconds(request.ValiditySeconds ?? EnrollmentValidator.DefaultValiditySeconds);
        var (tokenId, secret, text) = TokenText.New();
        var client = await zooKeeper.GetClientAsync(cancellationToken);
        try
        {
            await CreateIfMissingAsync(client, EnrollmentPaths.Tokens, cancellationToken);
            var stored = new StoredToken(roles, now, expiresAt, TokenText.Hash(secret));
            await client.CreateAsync(EnrollmentPaths.Token(tokenId), CloudJson.Serialize(stored), CreateMode.Persistent, Acl.CreatorAll, cancellationToken);
        }
        catch (Exception ex) when (ex is NoAuthException or InvalidAclException)
        {
            LogNotAuthorized(ex);
            return Unavailable;
        }

        var roleList = string.Join(',', roles);
        LogIssued(tokenId, roleList, expiresAt);
        return new IssuedToken(text, tokenId, roles, expiresAt);
    }

    public async Task<EnrollmentOutcome<HostCredentials>> EnrollAsync(HostEnrollmentRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!TokenText.TryParse(request.Token, out var tokenId, out var secret))
        {
            return InvalidToken;
        }

        var client = await zooKeeper.GetClientAsync(cancellationToken);
        StoredToken stored;
        try
        {
            var node = await client.GetDataAsync(EnrollmentPaths.Token(tokenId), null, cancellationToken);
            stored = CloudJson.Deserialize<StoredToken>(node.Data);
        }
        catch (NoNodeException)
        {
            return InvalidToken;
        }
        catch (NoAuthException ex)
        {
            LogNotAuthorized(ex);
            return Unavailable;
        }

        if (!TokenText.Matches(secret, stored.SecretSha256))
        {
            return InvalidToken;
        }

        if (time.GetUtcNow() >= stored.ExpiresAt)
        {
            LogRefused(request.HostId!, tokenId, "expired");
            return new EnrollmentRefusal(
                StatusCodes.Status401Unauthorized,
                new ApiError("enrollment.token_expired", $"The token expired at {stored.ExpiresAt:O}; ask for a new one.", "token"));
        }

        var roles = request.Roles!.Value.Distinct(StringComparer.Ordinal).ToImmutableArray();
        var notAllowed = roles.Where(r => !stored.Roles.Contains(r)).ToList();
        if (notAllowed.Count > 0)
        {
            LogRefused(request.HostId!, tokenId, "role " + string.Join(',', notAllowed));
            return new EnrollmentRefusal(
                StatusCodes.Status403Forbidden,
                new ApiError("enrollment.role_not_allowed", $"The token does not allow {string.Join(", ", notAllowed)} (it allows {string.Join(", ", stored.Roles)}).", "roles"));
        }

        var hostId = request.HostId!;
        var password = TokenText.RandomSecret();
        try
        {
            await HostAclWriter.ApplyAsync(client, hostId, password, roles, cancellationToken);
        }
        catch (NoAuthException ex)
        {
            LogNotAuthorized(ex);
            return Unavailable;
        }

        var enrolledAs = string.Join(',', roles);
        LogEnrolled(hostId, enrolledAs, tokenId);
        return new HostCredentials(hostId, roles, $"{hostId}:{password}");
    }

    private static async Task CreateIfMissingAsync(ZooKeeperClient client, string path, CancellationToken cancellationToken)
    {
        try
        {
            await client.CreateAsync(path, [], CreateMode.Persistent, Acl.CreatorAll, cancellationToken);
        }
        catch (NodeExistsException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Enrollment token {TokenId} issued for {Roles}, expires {ExpiresAt:O}")]
    private partial void LogIssued(string tokenId, string roles, DateTimeOffset expiresAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Host {HostId} enrolled as {Roles} with token {TokenId}")]
    private partial void LogEnrolled(string hostId, string roles, string tokenId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Host {HostId} refused enrollment with token {TokenId}: {Reason}")]
    private partial void LogRefused(string hostId, string tokenId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The constructor's ZooKeeper identity may not manage enrollment ACLs")]
    private partial void LogNotAuthorized(Exception exception);
}
