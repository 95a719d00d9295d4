using Amazon.Runtime;
using Pipeline.Adapters.Aws.Personalize;
using Pipeline.Adapters.Aws.Signing;

namespace Pipeline.Personalize.Local.Tests.Hosting;

/// <summary>The project's own SigV4 Personalize clients (what the API uses on AWS) against the local service over HTTP.</summary>
public sealed class SigV4ClientTests
{
    private static readonly AWSCredentials AnyCredentials = new BasicAWSCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");

    [Fact]
    public async Task RuntimeAndEventsClients_GetScoredRecommendationsAndPutEvents()
    {
        await using var scenario = LocalPersonalizeScenario.Create();
        var (group, _, _, campaign) = await scenario.TrainedCampaignAsync();
        var trackingId = (await scenario.Call("CreateEventTracker", new() { ["name"] = "tracker", ["datasetGroupArn"] = group }))["trackingId"]!.GetValue<string>();
        var endpoint = (await scenario.ServeOverHttpAsync()).ToString();
        var runtime = new PersonalizeRuntimeClient(HttpFor(PersonalizeRuntimeClient.EndpointPrefix, PersonalizeRuntimeClient.SigningName, endpoint));
        var events = new PersonalizeEventsClient(HttpFor(PersonalizeEventsClient.EndpointPrefix, PersonalizeEventsClient.SigningName, endpoint));

        var recommended = await runtime.GetRecommendationsAsync(new GetRecommendationsRequest { CampaignArn = campaign, UserId = "user_00001", NumResults = 5 });
        await events.PutEventsAsync(new PutEventsRequest
        {
            TrackingId = trackingId,
            UserId = "user_00001",
            SessionId = "s-1",
            EventList = [new PersonalizeEvent { EventId = "sigv4-1", EventType = "click", ItemId = recommended.ItemList![0].ItemId, SentAt = 1_748_736_000 }],
        });

        Assert.Equal(5, recommended.ItemList.Count);
        Assert.All(recommended.ItemList, item => Assert.NotNull(item.Score));
        Assert.False(string.IsNullOrEmpty(recommended.RecommendationId));
        var interactions = Directory.EnumerateFiles(scenario.Options.DataDirectory, "*.csv", SearchOption.AllDirectories)
            .SelectMany(File.ReadLines);
        Assert.Contains(interactions, line => line.StartsWith("user_00001," + recommended.ItemList[0].ItemId + ",1748736000", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RuntimeClient_ForAMissingCampaign_ThrowsWithResourceNotFound()
    {
        await using var scenario = LocalPersonalizeScenario.Create();
        var endpoint = (await scenario.ServeOverHttpAsync()).ToString();
        var runtime = new PersonalizeRuntimeClient(HttpFor(PersonalizeRuntimeClient.EndpointPrefix, PersonalizeRuntimeClient.SigningName, endpoint));

        var error = await Assert.ThrowsAnyAsync<Exception>(() => runtime.GetRecommendationsAsync(
            new GetRecommendationsRequest { CampaignArn = scenario.Arn("campaign/missing"), UserId = "u" }));

        Assert.Contains("ResourceNotFoundException", error.ToString(), StringComparison.Ordinal);
    }

    private static HttpClient HttpFor(string prefix, string signingName, string endpoint) =>
        AwsServiceEndpoint.Resolve(prefix, signingName, endpoint, "us-east-1", AnyCredentials).CreateHttpClient();
}
