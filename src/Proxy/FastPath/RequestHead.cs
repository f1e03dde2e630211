namespace Cloud.Proxy.FastPath;

/// <summary>
/// A client's request head, copied out of the connection's pipe and parsed in place: only what routing and framing
/// need is decoded; the other header lines are kept as byte ranges and copied to the instance untouched. One per
/// client connection, reused for each of its requests.
/// </summary>
internal sealed class RequestHead
{
    private const int MaxNamedInConnection = 8;

    private const int MaxClusterHeaders = 4;

    private readonly Range[] _namedInConnection = new Range[MaxNamedInConnection];
    private readonly Range[] _clusterHeaders = new Range[MaxClusterHeaders];

    public byte[] Bytes { get; private set; } = new byte[4096];

    /// <summary>Grows <see cref="Bytes"/> for a head of <paramref name="length"/> bytes (most heads fit the first 4 KB).</summary>
    public void EnsureCapacity(int length)
    {
        if (length > Bytes.Length)
        {
            Bytes = new byte[Math.Max(length, Bytes.Length * 2)];
        }
    }

    /// <summary>The head's length, final CRLF CRLF included.</summary>
    public int Length { get; set; }

    public HeaderLine[] Lines { get; private set; } = new HeaderLine[32];

    public int LineCount { get; set; }

    public int MethodLength { get; set; }

    public Range Target { get; set; }

    public Range Host { get; set; }

    /// <summary>
    /// How many <c>X-Found-Cluster</c> lines there are (npm's @elastic/elasticsearch 9 sends two); their values are
    /// <see cref="ClusterHeader(int)"/>.
    /// </summary>
    public int ClusterHeaderCount { get; private set; }

    public Range ForwardedFor { get; set; }

    /// <summary>-1 when the request has no Content-Length.</summary>
    public long ContentLength { get; set; }

    public bool Chunked { get; set; }

    /// <summary>The client asked to close the connection after this request (<c>Connection: close</c>).</summary>
    public bool Close { get; set; }

    public int NamedInConnectionCount { get; set; }

    public ReadOnlySpan<byte> Method => Bytes.AsSpan(0, MethodLength);

    public bool HasBody => Chunked || ContentLength > 0;

    public bool IsHead => MethodLength == 4 && Method.SequenceEqual("HEAD"u8);

    public bool IsGet => MethodLength == 3 && Method.SequenceEqual("GET"u8);

    public bool IsPost => MethodLength == 4 && Method.SequenceEqual("POST"u8);

    /// <summary>The request target's path, without its query.</summary>
    public ReadOnlySpan<byte> Path
    {
        get
        {
            var target = Bytes.AsSpan(Target);
            var query = target.IndexOf((byte)'?');
            return query < 0 ? target : target[..query];
        }
    }

    public ReadOnlySpan<byte> Slice(Range range) => Bytes.AsSpan(range);

    public void Reset()
    {
        LineCount = 0;
        MethodLength = 0;
        Target = default;
        Host = default;
        ClusterHeaderCount = 0;
        ForwardedFor = default;
        ContentLength = -1;
        Chunked = false;
        Close = false;
        NamedInConnectionCount = 0;
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

    /// <summary>Remembers a header named in <c>Connection</c>; false when there are too many to bother (the caller hands the request off).</summary>
    public bool AddNamedInConnection(Range name)
    {
        if (NamedInConnectionCount == MaxNamedInConnection)
        {
            return false;
        }

        _namedInConnection[NamedInConnectionCount++] = name;
        return true;
    }

    public Range ClusterHeader(int index) => _clusterHeaders[index];

    /// <summary>Remembers an <c>X-Found-Cluster</c> value; false when there are more lines than any client sends.</summary>
    public bool AddClusterHeader(Range value)
    {
        if (ClusterHeaderCount == MaxClusterHeaders)
        {
            return false;
        }

        _clusterHeaders[ClusterHeaderCount++] = value;
        return true;
    }

    public ReadOnlySpan<byte> NamedInConnection(int index) => Bytes.AsSpan(_namedInConnection[index]);
}
