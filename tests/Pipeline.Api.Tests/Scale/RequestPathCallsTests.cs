using System.Net;
using System.Text;
using Amazon.DynamoDBv2;
using Amazon.SQS;
using Pipeline.Adapters.Aws.DynamoDb;
using Pipeline.Api.Tests.Hosting;
using Pipeline.Domain.Experiments;
using Pipeline.Domain.Recommendations;

namespace Pipeline.Api.Tests.Scale;

/// <summary>
/// The DynamoDB and SQS calls one POST /recommendations of a returning user costs in AWS mode (Program.cs's AWS
/// composition, the API function's environment), counted by a proxy in front of moto_server. README "At the scale AWS
/// is for" does its arithmetic with these numbers; the test fails as soon as a change moves a call onto the path.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class RequestPathCallsTests(MotoServer moto)
{
    [Fact]
    public async Task ReturningUsersRecommendation_ReadsItsAssignmentQueuesItsExposureAndWritesNothing()
    {
        await using var counter = await AwsCallCounter.StartAsync(moto.Endpoint);
        using var dynamo = new AmazonDynamoDBClient(MotoServer.Credentials, new AmazonDynamoDBConfig
        {
            ServiceURL = moto.Endpoint.ToString(), AuthenticationRegion = MotoServer.Region,
        });
        using var sqs = new AmazonSQSClient(MotoServer.Credentials, new AmazonSQSConfig
        {
            ServiceURL = moto.Endpoint.ToString(), AuthenticationRegion = MotoServer.Region,
        });
        var prefix = $"s{Guid.NewGuid():N}"[..10];
        var tables = new DynamoDbTables
        {
            Experiments = $"{prefix}-Experiments", Assignments = $"{prefix}-Assignments", Exposures = $"{prefix}-Exposures",
            Items = $"{prefix}-Items", Users = $"{prefix}-Users", Events = $"{prefix}-Events", Aggregates = $"{prefix}-Aggregates",
        };
        await DynamoDbSchema.CreateTablesAsync(dynamo, tables);
        var queueUrl = (await sqs.CreateQueueAsync($"{prefix}-events")).QueueUrl;
        using var s3 = ProgramHost.S3(moto);
        await s3.PutBucketAsync($"{prefix}-data");
        var experiment = new Experiment("default", ExperimentStatus.Running,
            [new Variant("a", 0.5, Recipes.PopularityCount), new Variant("b", 0.5, Recipes.PopularityCount)], 1, "default", DateTimeOffset.UnixEpoch);
        await new DynamoDbExperimentStore(dynamo, tables).UpsertAsync(experiment);
        var settings = ProgramHost.OnMoto(moto);
        settings["AWS_ENDPOINT_URL"] = counter.Endpoint.ToString();
        foreach (var (key, value) in new Dictionary<string, string?>
        {
            // What ApiConstruct gives the API function.
            ["PIPELINE_ROLE"] = "api",
            ["PIPELINE_EXPERIMENTS_TABLE"] = tables.Experiments,
            ["PIPELINE_ASSIGNMENTS_TABLE"] = tables.Assignments,
            ["PIPELINE_ITEMS_TABLE"] = tables.Items,
            ["PIPELINE_USERS_TABLE"] = tables.Users,
            ["PIPELINE_AGGREGATES_TABLE"] = tables.Aggregates,
            ["PIPELINE_EVENTS_TABLE"] = tables.Events,
            ["PIPELINE_EVENTS_QUEUE_URL"] = queueUrl,
            ["PIPELINE_DATA_BUCKET"] = $"{prefix}-data",
        })
        {
            settings[key] = value;
        }
        await using var api = new ProgramHost(settings);
        using var http = api.CreateClient();
        async Task RecommendAsync()
        {
            using var response = await http.PostAsync("/recommendations", new StringContent("""{"user_id":"u1","num_results":3}""", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        await RecommendAsync(); // the first visit creates the assignment
        counter.Reset();

        await RecommendAsync();

        // Program.cs's composition: the experiment comes from the TTL cache, the assignment is the one synchronous read,
        // and the exposure is one message on the events queue (the consumer records it and its aggregates). No write.
        Assert.Equal(new Dictionary<string, int>
        {
            ["GetItem"] = 1,
            ["SendMessageBatch"] = 1,
        }, counter.ByOperation().OrderBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary());
    }
}
