namespace Cloud.Proxy.FastPath;

/// <summary>
/// An instance's response head, copied out of the backend connection's pipe: status, framing and whether the
/// connection may be reused; the header lines are kept as byte ranges and copied to the client untouched, but for
/// the hop-by-hop ones. One per client connection, reused for each response.
/// </summary>
internal sealed class ResponseHead
{
    public byte[] Bytes { get; private set; } = new byte[4096];

    /// <summary>Grows <see cref="Bytes"/> for a head of <paramref name="length"/> bytes (most heads fit the first 4 KB).</summary>
    public void EnsureCapacity(int length)
    {
        if (length > Bytes.Length)
        {
            Bytes = new byte[Math.Max(length, Bytes.Length * 2)];
        }
    }

    public int Length { get; set; }

    public HeaderLine[] Lines { get; private set; } = new HeaderLine[32];

    public int LineCount { get; set; }

    public int StatusCode { get; set; }

    /// <summary>"200 OK": the status line after the version, copied as it came.</summary>
    public Range Status { get; set; }

    public long ContentLength { get; set; }

    public bool Chunked { get; set; }

    /// <summary>The instance closes (or may close) the connection after this response: never reused.</summary>
    public bool Close { get; set; }

    public void Reset()
    {
        LineCount = 0;
        StatusCode = 0;
        Status = default;
        ContentLength = -1;
        Chunked = false;
        Close = false;
    }

    public void AddLine(HeaderLine line)
    {
        if (LineCount == Lines.Length)
        {
            var grown = new HeaderLine[Lines.Length * 2];
            Lines.CopyTo(grown, 0);
            Lines = grown;
        }

        Lines[LineCount++] = line;
    }

    /// <summary>The body's framing for a response to a request with method HEAD or not (RFC 9112 §6.3).</summary>
    public BodyFraming Framing(bool headRequest) =>
        headRequest || StatusCode is < 200 or 204 or 304 ? BodyFraming.None
        : Chunked ? BodyFraming.Chunked
        : ContentLength >= 0 ? BodyFraming.ContentLength
        : BodyFraming.UntilClose;
}
