using Cloud.ElasticsearchNode;
using Cloud.ElasticsearchNode.Hosting;

var settings = NodeSettings.FromEnvironment();
if (HeapOptions.Apply(settings.HeapBytes) is { } refused)
{
    await Console.Error.WriteLineAsync($"ES_JAVA_OPTS heap not applied, running unbounded: {refused}");
}

await using var app = NodeHost.Build(settings, args);
await app.RunAsync();
return 0;
