using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Pipeline.DeploymentContract;
using Pipeline.Domain.Experiments;
using static Pipeline.Adapters.Aws.DynamoDb.DynamoDbValues;

namespace Pipeline.Adapters.Aws.DynamoDb;

/// <summary>
/// Sticky bucketing keyed by (experimentKey, userId). The first writer wins through a conditional put; a loser
/// reads the winner with a strongly consistent read, so two concurrent requests of one user agree on the variant.
/// </summary>
public sealed class DynamoDbAssignmentStore(IAmazonDynamoDB client, DynamoDbTables tables, TimeProvider time) : IAssignmentStore
{
    private const string VariantKey = "variantKey";
    private const string AssignedAt = "assignedAt";

    private readonly string _table = DynamoDbTables.Required(tables.Assignments, TableSchemas.Assignments);

    public Task<Assignment?> GetAsync(string experimentKey, string userId, CancellationToken cancellationToken = default) =>
        GetAsync(experimentKey, userId, consistent: false, cancellationToken);

    public async Task<Assignment> GetOrAddAsync(Assignment assignment, CancellationToken cancellationToken = default)
    {
        try
        {
            await client.PutItemAsync(new PutItemRequest
            {
                TableName = _table,
                Item = new()
                {
                    [DynamoDbAttributes.ExperimentKey] = S(assignment.ExperimentKey),
                    [DynamoDbAttributes.UserId] = S(assignment.UserId),
                    [VariantKey] = S(assignment.VariantKey),
                    [AssignedAt] = Time(assignment.AssignedAt),
                    [DynamoDbAttributes.ExpiresAt] = ExpiresAt(time, tables.AssignmentsRetention),
                },
                ConditionExpression = "attribute_not_exists(#user)",
                ExpressionAttributeNames = new() { ["#user"] = DynamoDbAttributes.UserId },
            }, cancellationToken);
            return assignment;
        }
        catch (ConditionalCheckFailedException)
        {
            return await GetAsync(assignment.ExperimentKey, assignment.UserId, consistent: true, cancellationToken)
                ?? throw new InvalidOperationException("The assignment that won the conditional put could not be read back.");
        }
    }

    private async Task<Assignment?> GetAsync(string experimentKey, string userId, bool consistent, CancellationToken cancellationToken)
    {
        var response = await client.GetItemAsync(new GetItemRequest
        {
            TableName = _table,
            Key = new() { [DynamoDbAttributes.ExperimentKey] = S(experimentKey), [DynamoDbAttributes.UserId] = S(userId) },
            ConsistentRead = consistent,
        }, cancellationToken);
        return response.Item is { Count: > 0 } item
            ? new Assignment(experimentKey, userId, GetString(item, VariantKey), GetTime(item, AssignedAt))
            : null;
    }
}
