using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace Cloud.Constructor.Elasticsearch;

public static class ElasticsearchServiceCollectionExtensions
{
    /// <summary>
    /// The Elasticsearch client pipeline: per-try timeout, a few retries with jittered exponential
    /// backoff on transient failures (connection refused, 5xx, 408, 429), and an overall deadline.
    /// </summary>
    public static IServiceCollection AddElasticsearchClient(this IServiceCollection services)
    {
        // Not the standard handler: its circuit breaker would be shared by every node of every cluster,
        // so one dead node would block calls to healthy ones.
        services.AddHttpClient(ElasticsearchClientFactory.HttpClientName)
            .AddResilienceHandler("elasticsearch", pipeline =>
            {
                pipeline.AddTimeout(TimeSpan.FromSeconds(30));
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = 3,
                    Delay = TimeSpan.FromMilliseconds(200),
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                });
                pipeline.AddTimeout(TimeSpan.FromSeconds(10));
            });
        services.AddSingleton<ElasticsearchClientFactory>();
        return services;
    }
}
