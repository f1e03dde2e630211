using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace Cloud.Constructor.Enrollment;

/// <summary>A token's text, <c>&lt;token_id&gt;.&lt;secret&gt;</c>: the id finds the stored token, the secret proves possession.</summary>
public static class TokenText
{
    public static (string TokenId, string Secret, string Text) New()
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var secret = RandomSecret();
        return (id, secret, $"{id}.{secret}");
    }

    /// <summary>32 random bytes, base64url (no '=', '+', '/', ':' so it fits a digest password and a JSON string as is).</summary>
    public static string RandomSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static bool TryParse(string? text, [NotNullWhen(true)] out string? tokenId, [NotNullWhen(true)] out string? secret)
    {
        tokenId = null;
        secret = null;
        var dot = text?.IndexOf('.', StringComparison.Ordinal) ?? -1;
        if (text is null || dot != 16 || text.Length - dot - 1 < 16 || !text[..dot].All(Uri.IsHexDigit))
        {
            return false;
        }

        tokenId = text[..dot];
        secret = text[(dot + 1)..];
        return true;
    }

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static bool Matches(string secret, string expectedHash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(secret)), Encoding.ASCII.GetBytes(expectedHash));
}
