namespace Cloud.Allocator.Capacity;

/// <summary>What capacity accounting decided for one assignment.</summary>
internal enum CapacityVerdict
{
    /// <summary>Fits as asked.</summary>
    Accepted,

    /// <summary>Running with a definition whose new size does not fit: the definition in force stays untouched.</summary>
    KeptInForce,

    /// <summary>Does not fit: no container definition.</summary>
    Refused,
}
