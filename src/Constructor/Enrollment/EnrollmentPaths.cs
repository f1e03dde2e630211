using Cloud.Constructor.Api;
using Cloud.Shared.Coordination;

namespace Cloud.Constructor.Enrollment;

/// <summary>Where enrollment lives: the API paths and the tokens' ZooKeeper nodes.</summary>
public static class EnrollmentPaths
{
    public const string Security = ApiPaths.Base + "/platform/configuration/security";

    /// <summary><c>POST</c>: issue a token (admin key).</summary>
    public const string TokensApi = Security + "/enrollment-tokens";

    /// <summary><c>POST</c>: a host trades a token for its ZooKeeper credentials (the token is the authentication).</summary>
    public const string EnrollApi = Security + "/enrollments";

    /// <summary>Issued tokens, readable by the constructor's identity only.</summary>
    public const string Tokens = CloudPaths.Root + "/enrollment-tokens";

    public static string Token(string tokenId) => CloudPaths.Join(Tokens, tokenId);
}
