using System.Text.Json.Nodes;
using Pipeline.Domain.Recommendations;
using Pipeline.Personalize.Local.Errors;
using Pipeline.Personalize.Local.Json;
using Pipeline.Personalize.Local.Lifecycle;

namespace Pipeline.Personalize.Local.Runtime;

/// <summary>personalize-runtime: GetRecommendations and GetPersonalizedRanking against a campaign's served model.</summary>
public sealed class RuntimeOperations(PersonalizeContext context)
{
    public const int MaxNumResults = 500;
    public const int DefaultNumResults = 25;

    public async Task<JsonObject> GetRecommendationsAsync(Request request, CancellationToken cancellationToken)
    {
        if (request.String("recommenderArn") is not null)
            throw PersonalizeException.InvalidInput("Recommenders are not supported by the local Personalize; ask a campaign (campaignArn).");
        var campaignArn = request.OptionalArn("campaignArn") ?? throw PersonalizeException.InvalidInput("campaignArn is required.");
        var userId = request.String("userId");
        var itemId = request.String("itemId");
        var numResults = request.Int("numResults", 0, MaxNumResults) ?? DefaultNumResults;
        ReadFilter(request, out var filterArn);
        request.StringMap("context");
        if (userId is null && itemId is null) throw PersonalizeException.InvalidInput("Either userId or itemId is required.");
        var model = ServedModel(campaignArn, filterArn);
        var items = await CampaignServing.RecommendAsync(model, userId, itemId, numResults, cancellationToken);
        return new JsonObject { ["itemList"] = ItemList(items), ["recommendationId"] = NewRecommendationId() };
    }

    public async Task<JsonObject> GetPersonalizedRankingAsync(Request request, CancellationToken cancellationToken)
    {
        var campaignArn = request.Arn("campaignArn");
        var userId = request.RequiredString("userId");
        var inputList = request.Array("inputList", 1, MaxNumResults) ?? throw Request.Invalid("inputList", "null", "Member must not be null");
        var itemIds = inputList.Select((node, i) => node?.GetValueKind() == System.Text.Json.JsonValueKind.String
            ? node.GetValue<string>()
            : throw Request.Invalid($"inputList.{i + 1}", node?.ToJsonString() ?? "null", "Member must be a string")).ToList();
        ReadFilter(request, out var filterArn);
        request.StringMap("context");
        var model = ServedModel(campaignArn, filterArn);
        var ranked = await CampaignServing.RankAsync(model, userId, itemIds, cancellationToken);
        return new JsonObject { ["personalizedRanking"] = ItemList(ranked), ["recommendationId"] = NewRecommendationId() };
    }

    /// <summary>The campaign's current model: the previous version keeps answering while an update is in progress.</summary>
    private IRecommendationModel ServedModel(string campaignArn, string? filterArn)
    {
        var (versionArn, config) = context.Store.Read(state =>
        {
            var campaign = PersonalizeContext.Get(state.Campaigns, campaignArn);
            if (campaign.Status != Statuses.Active) throw CampaignServing.NotServing(campaignArn, campaign.Status);
            if (filterArn is not null) PersonalizeContext.RequireActive(state.Filters, filterArn, "filter");
            return (campaign.SolutionVersionArn, campaign.CampaignConfig);
        });
        return CampaignServing.ModelFor(context.Models, versionArn, config);
    }

    private static void ReadFilter(Request request, out string? filterArn)
    {
        filterArn = request.OptionalArn("filterArn");
        var values = request.StringMap("filterValues");
        if (values is { Count: > 25 }) throw Request.Invalid("filterValues", "{...}", "Map must have at most 25 entries");
    }

    private static JsonArray ItemList(IReadOnlyList<ScoredItem> items) =>
        new([.. items.Select(i => new JsonObject { ["itemId"] = i.ItemId, ["score"] = Math.Round(i.Score, 7) })]);

    private static string NewRecommendationId() => "RID-" + Guid.NewGuid().ToString("D");
}
