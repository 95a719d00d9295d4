using System.Net;
using Pipeline.Adapters.Aws.Http;
using Pipeline.Domain.Recommendations;

namespace Pipeline.Adapters.Aws.Personalize;

/// <summary>
/// One request's calls to a campaign: GetRecommendations by user (by item for a similar-items campaign, the user going
/// along for filters) or GetPersonalizedRanking, with the request's context. Throttling and an unknown campaign become
/// <see cref="ModelUnavailableException"/>s the fallback chain names; other failures are model errors.
/// </summary>
public sealed class PersonalizeCampaignModel(
    PersonalizeRuntimeClient runtime, CampaignVersions versions, string campaignArn, string recipe, IReadOnlyDictionary<string, string>? context)
    : ICampaignModel
{
    public string CampaignArn => campaignArn;

    public string Recipe => recipe;

    public CampaignAnswer? Answer { get; private set; }

    public async ValueTask<IReadOnlyList<ScoredItem>> RecommendAsync(ModelQuery query, CancellationToken cancellationToken = default)
    {
        var byItem = recipe == Recipes.Sims;
        if (byItem && query.ItemId is null)
        {
            throw new ModelUnavailableException(ServedBy.NoItem, $"The similar-items campaign {campaignArn} needs an item.");
        }
        var version = versions.FindAsync(campaignArn, cancellationToken);
        var response = await CallAsync(() => runtime.GetRecommendationsAsync(new GetRecommendationsRequest
        {
            CampaignArn = campaignArn,
            UserId = query.UserId,
            ItemId = byItem ? query.ItemId : null,
            NumResults = query.NumResults,
            Context = context,
        }, cancellationToken));
        Answer = new CampaignAnswer(response.RecommendationId, await version);
        return [.. (response.ItemList ?? []).Select(i => new ScoredItem(i.ItemId, i.Score ?? 0))];
    }

    public async ValueTask<IReadOnlyList<RankedItem>> RankAsync(string userId, IReadOnlyList<string> itemIds, CancellationToken cancellationToken = default)
    {
        if (itemIds.Count > IRankingModel.MaxInputItems)
        {
            throw new ArgumentException($"At most {IRankingModel.MaxInputItems} items can be ranked, got {itemIds.Count}.", nameof(itemIds));
        }
        var version = versions.FindAsync(campaignArn, cancellationToken);
        var response = await CallAsync(() => runtime.GetPersonalizedRankingAsync(new GetPersonalizedRankingRequest
        {
            CampaignArn = campaignArn,
            UserId = userId,
            InputList = itemIds,
            Context = context,
        }, cancellationToken));
        Answer = new CampaignAnswer(response.RecommendationId, await version);
        return [.. (response.PersonalizedRanking ?? []).Select(i => new RankedItem(i.ItemId, i.Score))];
    }

    private async Task<T> CallAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (AwsApiException e) when (e.StatusCode == HttpStatusCode.TooManyRequests || e.ErrorCode is "ThrottlingException" or "LimitExceededException")
        {
            throw new ModelUnavailableException(ServedBy.Throttled, e.Message, e);
        }
        catch (AwsApiException e) when (e.ErrorCode == "ResourceNotFoundException")
        {
            throw new ModelUnavailableException(ServedBy.UnknownCampaign, e.Message, e);
        }
    }
}
