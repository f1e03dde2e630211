using Cloud.ElasticsearchNode.Cluster;
using Cloud.ElasticsearchNode.Cluster.Http;
using Cloud.ElasticsearchNode.Documents;
using Cloud.ElasticsearchNode.Indices;
using Cloud.ElasticsearchNode.Recovery;
using Cloud.ElasticsearchNode.Replication;
using Cloud.ElasticsearchNode.Rest;
using Cloud.ElasticsearchNode.Search;
using Cloud.ElasticsearchNode.Snapshots;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cloud.ElasticsearchNode.Hosting;

/// <summary>
/// The composition root: the node's services, its REST routes and the HTTP server, built from the
/// settings. Tests build the same host in-process on a free port.
/// </summary>
internal static class NodeHost
{
    public static WebApplication Build(NodeSettings settings, string[] args, Action<ILoggingBuilder>? logging = null)
    {
        var report = new StartupReport();
        report.Mark("host building");
        // The empty builder, not the slim one: the node reads its settings from the environment itself, and the slim
        // builder's appsettings.json source watches the content root recursively for changes. In the container that is
        // "/" (with /proc and /sys): the watcher alone took 0.4-0.7 s of a 1.1 s start, 10-20 s when run from / here.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { Args = args });
        builder.WebHost.UseKestrelCore();
        report.Mark("builder created");
        builder.WebHost.UseUrls($"http://{(settings.NetworkHost is "0.0.0.0" or "_site_" or "_local_" ? "0.0.0.0" : settings.NetworkHost)}:{settings.HttpPort}");
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // The dispatcher enforces http.max_content_length itself, with Elasticsearch's error body.
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.AddServerHeader = false;

            // Elasticsearch drops no connection for being slow; a loaded node must not reset its clients.
            kestrel.Limits.MinRequestBodyDataRate = null;
            kestrel.Limits.MinResponseDataRate = null;

            // Elasticsearch keeps idle HTTP connections open; clients pool and reuse them after long pauses.
            kestrel.Limits.KeepAliveTimeout = TimeSpan.FromDays(1);
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        if (logging is null)
        {
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        }
        else
        {
            logging(builder.Logging);
        }

        report.Mark("logging");
        var services = builder.Services;
        services.AddSingleton(settings);
        services.AddSingleton(NodeIdentity.LoadOrCreate(settings.DataPath));
        services.AddSingleton(TimeProvider.System);
        // A lone node (single-node discovery, or no seed hosts / initial masters) is its own master and keeps
        // every shard of every index; a node of a multi-node cluster takes both from the elected master's state.
        var clusterOptions = ClusterNodeSettings.From(settings);
        var alone = clusterOptions.Coordination.BootstrapAlone;
        services.AddSingleton(sp => ClusterNode.Start(clusterOptions, sp.GetRequiredService<ILoggerFactory>(), TimeProvider.System, engineShards: !alone));
        services.AddHostedService<ClusterMembershipService>();
        services.AddSingleton<ClusterRestActions>();
        services.AddSingleton<IndicesService>();
        services.AddSingleton<LocalDocumentCoordinator>();
        services.AddSingleton<LocalSearchCoordinator>();
        services.AddSingleton<ShardBroadcast>();
        services.AddSingleton<ShardStatsCollector>();
        services.AddSingleton(new StartupRecovery(recovered: !alone));
        if (alone)
        {
            services.AddSingleton<LocalIndexMetadataService>();
            services.AddHostedService<LocalRecoveryService>();
            services.AddSingleton<IIndexMetadataService>(sp => sp.GetRequiredService<LocalIndexMetadataService>());
            services.AddSingleton<IDocumentCoordinator>(sp => sp.GetRequiredService<LocalDocumentCoordinator>());
            services.AddSingleton<ISearchCoordinator>(sp => sp.GetRequiredService<LocalSearchCoordinator>());
        }
        else
        {
            services.AddSingleton<ClusterIndexMetadataService>();
            services.AddSingleton<IIndexMetadataService>(sp => sp.GetRequiredService<ClusterIndexMetadataService>());
            services.AddSingleton<RecoveryTracker>();
            services.AddSingleton<RecoveryCatActions>();
            services.AddSingleton<PrimaryPermits>();
            services.AddSingleton<RecoverySourceService>();
            services.AddSingleton<ClusterShardsApplier>();
            services.AddSingleton<ShardReplicationService>();
            services.AddSingleton<ClusterDocumentCoordinator>();
            services.AddSingleton<IDocumentCoordinator>(sp => sp.GetRequiredService<ClusterDocumentCoordinator>());
            services.AddSingleton<ShardScrollContexts>();
            services.AddSingleton<ClusterScrollCoordinator>();
            services.AddSingleton<ClusterSearchCoordinator>();
            services.AddSingleton<ISearchCoordinator>(sp => sp.GetRequiredService<ClusterSearchCoordinator>());
        }

        services.AddSingleton<RootActions>();
        services.AddSingleton<IndexActions>();
        services.AddSingleton<AliasActions>();
        services.AddSingleton<DocumentActions>();
        services.AddSingleton<BulkActions>();
        services.AddSingleton<SearchActions>();
        services.AddSingleton<ClusterActions>();
        services.AddSingleton<CatActions>();
        services.AddSingleton<SnapshotRepositories>();
        services.AddSingleton<SnapshotService>();
        services.AddSingleton<SnapshotActions>();
        services.AddSingleton(sp =>
        {
            var router = new RestRouter();
            sp.GetRequiredService<ClusterRestActions>().Register(router);
            sp.GetRequiredService<RootActions>().Register(router);
            sp.GetRequiredService<IndexActions>().Register(router);
            sp.GetRequiredService<AliasActions>().Register(router);
            sp.GetRequiredService<DocumentActions>().Register(router);
            sp.GetRequiredService<BulkActions>().Register(router);
            sp.GetRequiredService<SearchActions>().Register(router);
            sp.GetRequiredService<ClusterActions>().Register(router);
            sp.GetRequiredService<CatActions>().Register(router);
            sp.GetRequiredService<SnapshotActions>().Register(router);
            sp.GetService<RecoveryCatActions>()?.Register(router);
            return router;
        });
        services.AddSingleton<StateNotRecoveredBlock>();
        services.AddSingleton<RecoveryGate>();
        services.AddSingleton<RestDispatcher>();
        services.AddHostedService<MaintenanceService>();

        report.Mark("services registered");
        var app = builder.Build();
        report.Mark("host built");
        // A lone node opens its indices once HTTP is bound (LocalRecoveryService); in a cluster, every handler and the
        // shard applier are in place before the node joins (the membership service starts with the host).
        _ = app.Services.GetRequiredService<IIndexMetadataService>();
        report.Mark("metadata service");
        if (!alone)
        {
            app.Services.GetRequiredService<ClusterShardsApplier>().Register();
            app.Services.GetRequiredService<RecoverySourceService>().Register();
            app.Services.GetRequiredService<ShardReplicationService>().Register();
            app.Services.GetRequiredService<ClusterSearchCoordinator>().Register();
            app.Services.GetRequiredService<ShardBroadcast>().Register();
            app.Services.GetRequiredService<SnapshotService>().Register();
            app.Services.GetRequiredService<ShardStatsCollector>().Register();
        }

        var dispatcher = app.Services.GetRequiredService<RestDispatcher>();
        app.Run(dispatcher.HandleAsync);
        var startup = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Cloud.ElasticsearchNode.Hosting.Startup");
        report.Mark("services resolved");
        app.Lifetime.ApplicationStarted.Register(() => report.Log(startup));
        return app;
    }
}
