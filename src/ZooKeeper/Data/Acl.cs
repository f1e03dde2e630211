using System.Security.Cryptography;
using System.Text;
using Cloud.ZooKeeper.Jute;

namespace Cloud.ZooKeeper;

/// <summary>One access control entry: permissions granted to an identity (<paramref name="Scheme"/>:<paramref name="Id"/>).</summary>
public sealed record Acl(Permissions Permissions, string Scheme, string Id)
{
    /// <summary>world:anyone with every permission.</summary>
    public static IReadOnlyList<Acl> OpenUnsafe { get; } = [new(Permissions.All, "world", "anyone")];

    /// <summary>world:anyone may read, nobody may change.</summary>
    public static IReadOnlyList<Acl> ReadUnsafe { get; } = [new(Permissions.Read, "world", "anyone")];

    /// <summary>Every permission for the identities the session authenticated with (auth scheme).</summary>
    public static IReadOnlyList<Acl> CreatorAll { get; } = [new(Permissions.All, "auth", string.Empty)];

    /// <summary>A digest ACL entry for <paramref name="user"/> with <paramref name="password"/> (id = user:base64(sha1(user:password))).</summary>
    public static Acl Digest(string user, string password, Permissions permissions)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        ArgumentNullException.ThrowIfNull(password);
#pragma warning disable CA5350 // SHA1 is what ZooKeeper's digest scheme is defined with.
        var hash = SHA1.HashData(Encoding.UTF8.GetBytes($"{user}:{password}"));
#pragma warning restore CA5350
        return new Acl(permissions, "digest", $"{user}:{Convert.ToBase64String(hash)}");
    }

    internal void Write(JuteWriter writer)
    {
        writer.WriteInt((int)Permissions);
        writer.WriteString(Scheme);
        writer.WriteString(Id);
    }

    internal static Acl Read(ref JuteReader reader)
    {
        var perms = reader.ReadInt();
        var scheme = reader.ReadString() ?? string.Empty;
        var id = reader.ReadString() ?? string.Empty;
        return new Acl((Permissions)perms, scheme, id);
    }
}
