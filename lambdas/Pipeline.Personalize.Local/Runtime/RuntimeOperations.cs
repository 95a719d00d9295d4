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
        var (filterArn, filterValues) = ReadFilter(request);
        request.StringMap("context");
        if (userId is null && itemId is null) throw PersonalizeException.InvalidInput("Either userId or itemId is required.");
        var (model, filter) = Serving(campaignArn, filterArn, filterValues);
        var items = await CampaignServing.RecommendAsync(model, userId, itemId, numResults, filter, cancellationToken);
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
        var (filterArn, filterValues) = ReadFilter(request);
        request.StringMap("context");
        var (model, filter) = Serving(campaignArn, filterArn, filterValues);
        var ranked = await CampaignServing.RankAsync(model, userId, itemIds, filter, cancellationToken);
        // Items the model cannot score come without a score, as Personalize returns them.
        var list = new JsonArray([.. ranked.Select(i => i.Score is { } score
            ? new JsonObject { ["itemId"] = i.ItemId, ["score"] = Math.Round(score, 7) }
            : new JsonObject { ["itemId"] = i.ItemId })]);
        return new JsonObject { ["personalizedRanking"] = list, ["recommendationId"] = NewRecommendationId() };
    }

    /// <summary>The campaign's current model: the previous version keeps answering while an update is in progress.</summary>
    private (IRecommendationModel Model, CampaignServing.AppliedFilter? Filter) Serving(string campaignArn, string? filterArn, IReadOnlyDictionary<string, string>? filterValues)
    {
        var (versionArn, config, groupArn, expression) = context.Store.Read(state =>
        {
            var campaign = PersonalizeContext.Get(state.Campaigns, campaignArn);
            if (campaign.Status != Statuses.Active) throw CampaignServing.NotServing(campaignArn, campaign.Status);
            var expression = filterArn is null ? null : PersonalizeContext.RequireActive(state.Filters, filterArn, "filter").FilterExpression;
            return (campaign.SolutionVersionArn, campaign.CampaignConfig, state.SolutionVersions[campaign.SolutionVersionArn].DatasetGroupArn, expression);
        });
        var model = CampaignServing.ModelFor(context.Models, versionArn, config);
        return (model, expression is null ? null : new CampaignServing.AppliedFilter(context.Filters.Filter(expression), filterValues, context.Filters.For(groupArn)));
    }

    private static (string? FilterArn, Dictionary<string, string>? Values) ReadFilter(Request request)
    {
        var filterArn = request.OptionalArn("filterArn");
        var values = request.StringMap("filterValues");
        if (values is { Count: > 25 }) throw Request.Invalid("filterValues", "{...}", "Map must have at most 25 entries");
        return (filterArn, values);
    }

    private static JsonArray ItemList(IReadOnlyList<ScoredItem> items) =>
        new([.. items.Select(i => new JsonObject { ["itemId"] = i.ItemId, ["score"] = Math.Round(i.Score, 7) })]);

    private static string NewRecommendationId() => "RID-" + Guid.NewGuid().ToString("D");
}
