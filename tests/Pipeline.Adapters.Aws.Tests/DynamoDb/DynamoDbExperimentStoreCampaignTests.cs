using Amazon.DynamoDBv2.Model;
using Pipeline.Adapters.Aws.DynamoDb;
using Pipeline.Domain.Experiments;

namespace Pipeline.Adapters.Aws.Tests.DynamoDb;

/// <summary>The training workflow's write (DynamoDB UpdateItem on one variant) as the API's store reads it back, on moto_server.</summary>
[Collection(MotoCollection.Name)]
public sealed class DynamoDbExperimentStoreCampaignTests(MotoServer moto)
{
    [Fact]
    public async Task Get_AfterTheTrainingWorkflowsUpdateItem_ReturnsTheVariantsNewCampaign()
    {
        var tables = new DynamoDbTables { Experiments = $"t{Guid.NewGuid():N}"[..12] + "-Experiments" };
        using var client = moto.DynamoDb();
        await DynamoDbSchema.CreateTablesAsync(client, tables);
        var store = new DynamoDbExperimentStore(client, tables);
        await store.UpsertAsync(new Experiment("default", ExperimentStatus.Running,
            [new Variant("a", 0.5, "aws-sims"), new Variant("b", 0.5, "aws-user-personalization")], 1, "", DateTimeOffset.UnixEpoch));
        const string campaign = "arn:aws:personalize:us-east-1:000000000000:campaign/pipeline-up";

        // The same request TrainingStateMachine's PointExperimentVariant state sends.
        await client.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = tables.Experiments,
            Key = new() { ["experimentKey"] = new AttributeValue { S = "default" } },
            UpdateExpression = "SET variants[1].campaign = :campaign",
            ConditionExpression = "attribute_exists(experimentKey)",
            ExpressionAttributeValues = new() { [":campaign"] = new AttributeValue { S = campaign } },
        });

        var stored = await store.GetAsync("default");
        Assert.Null(stored!.Variants[0].Campaign);
        Assert.Equal(campaign, stored.Variants[1].Campaign);
        Assert.Equal("aws-user-personalization", stored.Variants[1].Recipe);
    }
}
