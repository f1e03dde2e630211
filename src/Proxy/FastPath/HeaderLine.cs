namespace Cloud.Proxy.FastPath;

/// <summary>One header line of a parsed head: where it starts in the head's bytes, its length without CRLF, and where the name ends.</summary>
internal struct HeaderLine
{
    public int Start;
    public int Length;
    public int NameLength;

    /// <summary>Hop-by-hop or replaced by the proxy: not copied to the other side.</summary>
    public bool Drop;
}
