namespace Cloud.Proxy.FastPath;

/// <summary>How relaying one body ended.</summary>
internal enum RelayResult
{
    Done,

    /// <summary>The sending side closed before the body's end.</summary>
    SourceEnded,

    /// <summary>The chunked framing was not valid.</summary>
    Broken,

    /// <summary>The receiving side is gone.</summary>
    DestinationGone,
}
