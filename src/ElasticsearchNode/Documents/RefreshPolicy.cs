namespace Cloud.ElasticsearchNode.Documents;

/// <summary>The <c>refresh</c> parameter of writes: none, refresh now (<c>true</c>), or wait for the next refresh (<c>wait_for</c>).</summary>
internal enum RefreshPolicy
{
    None,
    Immediate,
    WaitFor,
}
