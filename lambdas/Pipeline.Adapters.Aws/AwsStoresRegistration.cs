using Amazon.DynamoDBv2;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Adapters.Aws.DynamoDb;
using Pipeline.Domain.Catalog;
using Pipeline.Domain.Events;
using Pipeline.Domain.Experiments;

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
        if (client is null)
        {
            // Region and credentials from the SDK's default chains (the Lambda environment on AWS).
            services.AddSingleton<IAmazonDynamoDB>(_ => new AmazonDynamoDBClient());
        }
        else
        {
            services.AddSingleton(client);
        }
        services.AddSingleton(TimeProvider.System);
        if (tables.Items is not null) services.AddSingleton<IItemStore, DynamoDbItemStore>();
        if (tables.Users is not null) services.AddSingleton<IUserStore, DynamoDbUserStore>();
        if (tables.Events is not null) services.AddSingleton<IEventStore, DynamoDbEventStore>();
        if (tables.Experiments is not null) services.AddSingleton<IExperimentStore, DynamoDbExperimentStore>();
        if (tables.Assignments is not null) services.AddSingleton<IAssignmentStore, DynamoDbAssignmentStore>();
        if (tables.Exposures is not null) services.AddSingleton<IExposureStore, DynamoDbExposureStore>();
        return services;
    }
}
