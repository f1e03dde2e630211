using Cloud.ElasticsearchNode;
using Cloud.ElasticsearchNode.Hosting;

var settings = NodeSettings.FromEnvironment();
if (await HeapOptions.RelaunchWithHeapLimitAsync(settings.HeapBytes, args) is { } exitCode)
{
    return exitCode;
}

await using var app = NodeHost.Build(settings, args);
await app.RunAsync();
return 0;
