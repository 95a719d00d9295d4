using Pipeline.Domain.Events;
using Pipeline.Domain.Experiments;
using Pipeline.Domain.Experiments.Metrics;

namespace Pipeline.Domain.Recommendations;

/// <summary>
/// Serves one recommendation request: puts the user in a variant (sticky), asks the variant's model through
/// the fallback chain, and logs the exposure that conversions are attributed to.
/// Users in the experiment's holdout get the first fallback recipe and no exposure; a forced variant (QA) is
/// served without assignment or exposure.
/// A variant with a campaign is served by that campaign (<see cref="ICampaignModels"/>, when the host has Personalize);
/// otherwise by the in-process model of its recipe.
/// </summary>
public sealed class RecommendationService(
    IExperimentStore experiments,
    StickyAssignment assignment,
    IEventStore events,
    IModelRegistry models,
    FallbackChain fallbackChain,
    ServingOptions options,
    TimeProvider time,
    IExperimentTracking tracking,
    ICampaignModels? campaigns = null)
{
    public async Task<RecommendationResult> RecommendAsync(RecommendationRequest request, CancellationToken cancellationToken = default)
    {
        var started = time.GetTimestamp();
        var experiment = await experiments.GetAsync(options.DefaultExperiment, cancellationToken);
        var served = await ServedVariant.ChooseAsync(experiment, request.ForcedVariant, request.UserId, assignment, cancellationToken);
        var recipe = served.Variant?.Recipe ?? options.FallbackRecipes.FirstOrDefault() ?? Recipes.PopularityCount;

        var query = new ModelQuery(request.UserId, request.ItemId, request.NumResults, request.Filter);
        string? skipPrimary = null;
        if (recipe == Recipes.Sims && query.ItemId is null)
        {
            // Similar-items needs a seed item: the user's most recent one stands in for it, from the live events,
            // else from the training history a model kept (so users known only from training are served too).
            var recent = await events.ListByUserAsync(request.UserId, 1, cancellationToken);
            query = query with { ItemId = recent.Count > 0 ? recent[0].ItemId : MostRecentTrainingItem(request.UserId) };
            skipPrimary = query.ItemId is null ? ServedBy.NoItem : null;
        }
        var campaign = served.Variant?.Campaign is { Length: > 0 } campaignArn && campaigns is not null
            ? campaigns.For(campaignArn, recipe, request.Context)
            : null;
        var (items, servedBy) = await fallbackChain.ServeAsync(campaign ?? models.Find(recipe), query, skipPrimary, cancellationToken);
        // Only the primary link is the campaign; a timed-out call may still finish later, so its answer is read only then.
        var answer = servedBy == ServedBy.Primary ? campaign?.Answer : null;

        var recommendationId = answer?.RecommendationId ?? Guid.CreateVersion7(time.GetUtcNow()).ToString("N");
        await served.RecordExposureAsync(tracking, recommendationId, request.UserId, recipe, servedBy, items.Select(i => i.ItemId), time, started, cancellationToken);
        return new RecommendationResult(
            request.UserId, experiment?.Key, served.Variant?.Key, recipe, recommendationId, servedBy, items, served.Forced,
            answer is null ? null : new ServedModel(campaign!.CampaignArn, answer.SolutionVersionArn));
    }

    private string? MostRecentTrainingItem(string userId)
    {
        foreach (var recipe in models.Recipes)
        {
            if (models.Find(recipe) is ITrainingHistory history && history.MostRecentItem(userId) is { } itemId)
            {
                return itemId;
            }
        }
        return null;
    }
}
