using System.Diagnostics.CodeAnalysis;
using Amazon.DynamoDBv2;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Pipeline.Adapters.Aws.DynamoDb;
using Pipeline.Domain.Catalog;
using Pipeline.Domain.Events;
using Pipeline.Domain.Experiments;
using Pipeline.Domain.Experiments.Metrics;

namespace Pipeline.Adapters.Aws;

public static class AwsStoresRegistration
{
    /// <summary>
    /// Registers a DynamoDB store for each table that has a name; ports whose table is not configured are left
    /// to the host (a Lambda only gets the tables its role may use).
    /// </summary>
    public static IServiceCollection AddDynamoDbStores(this IServiceCollection services, DynamoDbTables tables, IAmazonDynamoDB? client = null)
    {
        services.AddSingleton(tables);
        // Without a client: region and credentials from the SDK's default chains (the Lambda environment on AWS).
        services.TryAddSingleton(client ?? new AmazonDynamoDBClient());
        services.TryAddSingleton(TimeProvider.System);
        AddIf<IItemStore, DynamoDbItemStore>(services, tables.Items);
        AddIf<IUserStore, DynamoDbUserStore>(services, tables.Users);
        AddIf<IEventStore, DynamoDbEventStore>(services, tables.Events);
        AddIf<IExperimentStore, DynamoDbExperimentStore>(services, tables.Experiments);
        AddIf<IAssignmentStore, DynamoDbAssignmentStore>(services, tables.Assignments);
        AddIf<IExposureStore, DynamoDbExposureStore>(services, tables.Exposures);
        AddIf<IExperimentMetricsStore, DynamoDbExperimentMetricsStore>(services, tables.Aggregates);
        return services;
    }

    private static void AddIf<TPort, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TStore>(
        IServiceCollection services, string? table)
        where TPort : class
        where TStore : class, TPort
    {
        if (table is not null)
        {
            services.AddSingleton<TPort, TStore>();
        }
    }
}
