using Microsoft.Extensions.DependencyInjection;
using Pipeline.Adapters.Local.Sqlite;
using Pipeline.Domain.Catalog;
using Pipeline.Domain.Events;
using Pipeline.Domain.Experiments;
using Pipeline.Domain.Experiments.Metrics;

namespace Pipeline.Adapters.Local;

public static class LocalStoresRegistration
{
    /// <summary>
    /// Registers the SQLite stores on one database file, the one-machine stand-in for DynamoDB, and records exposures
    /// and attributions in the request against them (there is no events queue on one machine).
    /// </summary>
    public static IServiceCollection AddSqliteStores(this IServiceCollection services, string databasePath)
    {
        // Created by the container so it is disposed with it: the write queue drains before the process exits.
        services.AddSingleton(_ => new SqliteDatabase(databasePath));
        services.AddSingleton<IItemStore, SqliteItemStore>();
        services.AddSingleton<IUserStore, SqliteUserStore>();
        services.AddSingleton<IEventStore, SqliteEventStore>();
        services.AddSingleton<IExperimentStore, SqliteExperimentStore>();
        services.AddSingleton<IAssignmentStore, SqliteAssignmentStore>();
        services.AddSingleton<IExposureStore, SqliteExposureStore>();
        services.AddSingleton<IExperimentMetricsStore, SqliteExperimentMetricsStore>();
        services.AddSingleton<ExperimentMetricsRecorder>();
        services.AddSingleton<IExperimentTracking, ImmediateExperimentTracking>();
        return services;
    }
}
