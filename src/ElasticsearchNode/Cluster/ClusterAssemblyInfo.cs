using System.Runtime.CompilerServices;

// The cluster layer's protocol and allocation logic are tested (and benchmarked) in-process.
[assembly: InternalsVisibleTo("Cloud.ElasticsearchNode.Tests")]
[assembly: InternalsVisibleTo("Cloud.ElasticsearchNode.Benchmarks")]
