using Pipeline.Domain.Experiments;
using Pipeline.Domain.Experiments.Metrics;

namespace Pipeline.Domain.Recommendations.Ranking;

/// <summary>
/// Serves a personalized ranking with the same experiment semantics as recommendations: when the ranking
/// experiment (<see cref="ServingOptions.RankingExperiment"/>) is running, the user gets a sticky variant whose
/// recipe ranks, and the served list is logged as an exposure so conversions are attributed to it. Without that
/// experiment, <c>aws-personalized-ranking</c> ranks. A variant whose recipe cannot rank, or has no model, falls
/// back (<c>fallback:not-trained</c>).
/// </summary>
public sealed class RankingService(
    IExperimentStore experiments,
    StickyAssignment assignment,
    IModelRegistry models,
    RankingChain chain,
    ServingOptions options,
    TimeProvider time,
    IExperimentTracking tracking,
    ICampaignModels? campaigns = null)
{
    public async Task<RankingResult> RankAsync(RankingRequest request, CancellationToken cancellationToken = default)
    {
        var started = time.GetTimestamp();
        var experiment = options.RankingExperiment is { Length: > 0 } key ? await experiments.GetAsync(key, cancellationToken) : null;
        var served = await ServedVariant.ChooseAsync(experiment, request.ForcedVariant, request.UserId, assignment, cancellationToken);
        var recipe = served.Variant?.Recipe ?? Recipes.PersonalizedRanking;

        var campaign = served.Variant?.Campaign is { Length: > 0 } campaignArn && campaigns is not null
            ? campaigns.For(campaignArn, recipe, request.Context)
            : null;
        var (items, servedBy) = await chain.RankAsync(campaign ?? models.Find(recipe) as IRankingModel, request.UserId, request.ItemIds, cancellationToken);
        var answer = servedBy == ServedBy.Primary ? campaign?.Answer : null;
        if (request.Filter is { } filter)
        {
            items = await filter(items, cancellationToken);
        }

        var recommendationId = answer?.RecommendationId ?? Guid.CreateVersion7(time.GetUtcNow()).ToString("N");
        await served.RecordExposureAsync(tracking, recommendationId, request.UserId, recipe, servedBy, items.Select(i => i.ItemId), time, started, cancellationToken);
        return new RankingResult(request.UserId, experiment?.Key, served.Variant?.Key, recipe, recommendationId, servedBy, items,
            answer is null ? null : new ServedModel(campaign!.CampaignArn, answer.SolutionVersionArn));
    }
}
