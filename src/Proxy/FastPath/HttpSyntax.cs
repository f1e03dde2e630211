using System.Text;

namespace Cloud.Proxy.FastPath;

/// <summary>
/// The few byte-level rules of HTTP/1.1 (RFC 9110/9112) both head parsers share. Anything outside them is not an
/// error here: the caller hands the connection to Kestrel, whose own parser gives the contract's answer.
/// </summary>
internal static class HttpSyntax
{
    public static ReadOnlySpan<byte> Crlf => "\r\n"u8;

    public static ReadOnlySpan<byte> HeadEnd => "\r\n\r\n"u8;

    /// <summary>A header name: RFC 9110 token characters only.</summary>
    public static bool IsToken(ReadOnlySpan<byte> name)
    {
        if (name.IsEmpty)
        {
            return false;
        }

        foreach (var b in name)
        {
            if (b <= 0x20 || b >= 0x7F || "\"(),/:;<=>?@[\\]{}"u8.Contains(b))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A field value: no control characters but tab (no CR or LF either: a bare LF never ends a line here).</summary>
    public static bool IsFieldValue(ReadOnlySpan<byte> value)
    {
        foreach (var b in value)
        {
            if ((b < 0x20 && b != (byte)'\t') || b == 0x7F)
            {
                return false;
            }
        }

        return true;
    }

    public static ReadOnlySpan<byte> TrimOws(ReadOnlySpan<byte> value) => value.Trim(" \t"u8);

    public static bool NameIs(ReadOnlySpan<byte> name, ReadOnlySpan<byte> lowerCase) =>
        name.Length == lowerCase.Length && Ascii.EqualsIgnoreCase(name, lowerCase);

    /// <summary>A non-negative decimal of at most 18 digits (a Content-Length), or -1.</summary>
    public static long ParseLength(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty || value.Length > 18)
        {
            return -1;
        }

        long result = 0;
        foreach (var b in value)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return -1;
            }

            result = (result * 10) + (b - '0');
        }

        return result;
    }

    /// <summary>
    /// The next comma-separated, trimmed token of a list value (<c>Connection</c>); empty ones are skipped, and an
    /// empty span is returned when none is left.
    /// </summary>
    public static ReadOnlySpan<byte> NextToken(ref ReadOnlySpan<byte> rest)
    {
        while (!rest.IsEmpty)
        {
            var comma = rest.IndexOf((byte)',');
            var token = TrimOws(comma < 0 ? rest : rest[..comma]);
            rest = comma < 0 ? [] : rest[(comma + 1)..];
            if (!token.IsEmpty)
            {
                return token;
            }
        }

        return [];
    }

    /// <summary>Standard hop-by-hop headers (RFC 9110 §7.6.1 and the older ones proxies still see) that never cross the proxy.</summary>
    public static bool IsHopByHop(ReadOnlySpan<byte> name) =>
        NameIs(name, "connection"u8)
        || NameIs(name, "keep-alive"u8)
        || NameIs(name, "proxy-connection"u8)
        || NameIs(name, "proxy-authenticate"u8)
        || NameIs(name, "proxy-authorization"u8)
        || NameIs(name, "te"u8)
        || NameIs(name, "close"u8);
}
