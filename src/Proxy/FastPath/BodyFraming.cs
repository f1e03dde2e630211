namespace Cloud.Proxy.FastPath;

/// <summary>How a message body's end is found (RFC 9112 §6.3).</summary>
internal enum BodyFraming
{
    None,
    ContentLength,
    Chunked,

    /// <summary>A response without length or chunking: its body ends when the instance closes the connection.</summary>
    UntilClose,
}
