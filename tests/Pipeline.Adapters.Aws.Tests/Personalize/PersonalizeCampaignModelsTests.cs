using System.Text.Json;
using Amazon.Runtime;
using Pipeline.Adapters.Aws.Personalize;
using Pipeline.Domain.Recommendations;

namespace Pipeline.Adapters.Aws.Tests.Personalize;

/// <summary>
/// Campaign-backed variants against two loopback servers standing in for the runtime and control-plane endpoints:
/// what is asked (by user, by item, ranking, with context), signed for "personalize", and what the answer carries
/// (Personalize's recommendation id, the solution version DescribeCampaign names). Errors map to the reasons the
/// fallback chain reports.
/// </summary>
public sealed class PersonalizeCampaignModelsTests : IDisposable
{
    private const string Campaign = "arn:aws:personalize:us-west-2:123456789012:campaign/pipeline-aws-sims";
    private const string VersionOne = "arn:aws:personalize:us-west-2:123456789012:solution/pipeline-aws-sims/v1";
    private readonly RecordingAwsServer _runtime = new();
    private readonly RecordingAwsServer _control = new();

    public PersonalizeCampaignModelsTests()
    {
        _control.ResponseBody = $$$"""{"campaign":{"campaignArn":"{{{Campaign}}}","solutionVersionArn":"{{{VersionOne}}}","status":"ACTIVE"}}""";
    }

    public void Dispose()
    {
        _runtime.Dispose();
        _control.Dispose();
    }

    private PersonalizeCampaignModels Models(TimeSpan refresh) => PersonalizeCampaignModels.Create(refresh, TimeProvider.System,
        _runtime.Endpoint.ToString(), _control.Endpoint.ToString(), "us-west-2", new BasicAWSCredentials("AKIDTEST", "secret"));

    [Fact]
    public async Task Recommend_ForSimilarItems_AsksByItemWithContext_AndAnswersWithPersonalizesIdAndTheServedVersion()
    {
        _runtime.ResponseBody = """{"itemList":[{"itemId":"i7","score":0.42},{"itemId":"i3"}],"recommendationId":"RID-1"}""";
        var model = Models(TimeSpan.FromMinutes(1)).For(Campaign, Recipes.Sims, new Dictionary<string, string> { ["DEVICE"] = "mobile" });

        var items = await model.RecommendAsync(new ModelQuery("u1", "i1", 2));

        Assert.Equal([new ScoredItem("i7", 0.42), new ScoredItem("i3", 0)], items);
        Assert.Equal(new CampaignAnswer("RID-1", VersionOne), model.Answer);
        var asked = Assert.Single(_runtime.Requests);
        Assert.Equal("/recommendations", asked.Url.AbsolutePath);
        Assert.Equal($$$"""{"campaignArn":"{{{Campaign}}}","userId":"u1","itemId":"i1","numResults":2,"context":{"DEVICE":"mobile"}}""", asked.BodyText);
        Assert.Contains("/us-west-2/personalize/aws4_request", asked.Headers["authorization"], StringComparison.Ordinal);
        var described = Assert.Single(_control.Requests);
        Assert.Equal("AmazonPersonalize.DescribeCampaign", described.Headers["x-amz-target"]);
        Assert.Equal($$"""{"campaignArn":"{{Campaign}}"}""", described.BodyText);
        Assert.Contains("/us-west-2/personalize/aws4_request", described.Headers["authorization"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Recommend_ForAUserRecipe_SendsNoItem_AndDescribesTheCampaignOncePerRefreshInterval()
    {
        _runtime.ResponseBody = """{"itemList":[{"itemId":"i7","score":0.5}],"recommendationId":"RID-2"}""";
        var models = Models(TimeSpan.FromMinutes(1));

        for (var i = 0; i < 3; i++)
        {
            await models.For(Campaign, Recipes.UserPersonalization).RecommendAsync(new ModelQuery("u1", "i1", 1));
        }

        Assert.Equal(3, _runtime.Requests.Count);
        Assert.All(_runtime.Requests, r => Assert.False(JsonDocument.Parse(r.Body).RootElement.TryGetProperty("itemId", out _)));
        Assert.Single(_control.Requests);
    }

    [Fact]
    public async Task Recommend_AfterTheCampaignMovesToANewVersion_NamesItOnceTheIntervalHasPassed()
    {
        _runtime.ResponseBody = """{"itemList":[],"recommendationId":"RID-3"}""";
        var models = Models(TimeSpan.Zero);
        var first = models.For(Campaign, Recipes.PopularityCount);
        await first.RecommendAsync(new ModelQuery("u1", null, 1));
        const string versionTwo = "arn:aws:personalize:us-west-2:123456789012:solution/pipeline-aws-sims/v2";
        _control.ResponseBody = $$$"""{"campaign":{"solutionVersionArn":"{{{versionTwo}}}"}}""";

        // The request after the interval starts the refresh in the background; one of the next ones names the new version.
        string? named = null;
        for (var i = 0; i < 50 && named != versionTwo; i++)
        {
            var model = models.For(Campaign, Recipes.PopularityCount);
            await model.RecommendAsync(new ModelQuery("u1", null, 1));
            named = model.Answer!.SolutionVersionArn;
            await Task.Delay(20);
        }

        Assert.Equal(VersionOne, first.Answer!.SolutionVersionArn);
        Assert.Equal(versionTwo, named);
    }

    [Fact]
    public async Task Rank_AsksGetPersonalizedRanking_AndKeepsUnscoredItemsUnscored()
    {
        _runtime.ResponseBody = """{"personalizedRanking":[{"itemId":"b","score":0.9},{"itemId":"a"}],"recommendationId":"RID-4"}""";
        var model = Models(TimeSpan.FromMinutes(1)).For(Campaign, Recipes.PersonalizedRanking);

        var ranked = await model.RankAsync("u1", ["a", "b"]);

        Assert.Equal([new RankedItem("b", 0.9), new RankedItem("a", null)], ranked);
        Assert.Equal("/personalize-ranking", Assert.Single(_runtime.Requests).Url.AbsolutePath);
        Assert.Equal("RID-4", model.Answer!.RecommendationId);
    }

    [Theory]
    [InlineData(400, "ThrottlingException", ServedBy.Throttled)]
    [InlineData(429, "TooManyRequestsException", ServedBy.Throttled)]
    [InlineData(404, "ResourceNotFoundException", ServedBy.UnknownCampaign)]
    public async Task Recommend_WhenPersonalizeRefuses_NamesTheReasonTheChainReports(int status, string errorType, string reason)
    {
        _runtime.Status = status;
        _runtime.ResponseHeaders["x-amzn-ErrorType"] = errorType + ":http://internal.amazon.com/coral/com.amazonaws.personalize/";
        _runtime.ResponseBody = """{"message":"no"}""";
        var model = Models(TimeSpan.FromMinutes(1)).For(Campaign, Recipes.UserPersonalization);

        var error = await Assert.ThrowsAsync<ModelUnavailableException>(() => model.RecommendAsync(new ModelQuery("u1", null, 1)).AsTask());

        Assert.Equal(reason, error.Reason);
        Assert.Null(model.Answer);
    }

    [Fact]
    public async Task Recommend_WhenDescribeCampaignFails_StillAnswers_WithTheVersionUnknown()
    {
        _runtime.ResponseBody = """{"itemList":[{"itemId":"i1","score":1}],"recommendationId":"RID-5"}""";
        _control.Status = 400;
        _control.ResponseBody = """{"__type":"AccessDeniedException","message":"denied"}""";
        var model = Models(TimeSpan.FromMinutes(1)).For(Campaign, Recipes.UserPersonalization);

        var items = await model.RecommendAsync(new ModelQuery("u1", null, 1));

        Assert.Single(items);
        Assert.Equal(new CampaignAnswer("RID-5", null), model.Answer);
    }
}
