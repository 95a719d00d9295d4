using Pipeline.Domain.Events;
using Pipeline.Domain.Experiments;

namespace Pipeline.Domain.Recommendations;

/// <summary>
/// Serves one recommendation request: puts the user in a variant (sticky), asks the variant's model,
/// falls back to the popularity model when that model is missing or fails, and logs the exposure.
/// </summary>
public sealed class RecommendationService(
    IExperimentStore experiments,
    IAssignmentStore assignments,
    IExposureStore exposures,
    IEventStore events,
    IModelRegistry models,
    ServingOptions options,
    TimeProvider time)
{
    public async Task<RecommendationResult> RecommendAsync(RecommendationRequest request, CancellationToken cancellationToken = default)
    {
        var experiment = await experiments.GetAsync(options.DefaultExperiment, cancellationToken);
        var variant = experiment is null ? null : await AssignAsync(experiment, request.UserId, cancellationToken);
        var recipe = variant?.Recipe ?? options.FallbackRecipe;

        var (items, servedBy) = await ServeAsync(recipe, request, cancellationToken);
        var recommendationId = Guid.CreateVersion7(time.GetUtcNow()).ToString("N");
        if (experiment is not null && variant is not null)
        {
            await exposures.AppendAsync(
                new Exposure(recommendationId, experiment.Key, variant.Key, request.UserId, recipe, servedBy,
                    items.Select(i => i.ItemId).ToArray(), time.GetUtcNow()),
                cancellationToken);
        }
        return new RecommendationResult(
            request.UserId, experiment?.Key, variant?.Key, recipe, recommendationId, servedBy, items);
    }

    private async Task<Variant?> AssignAsync(Experiment experiment, string userId, CancellationToken cancellationToken)
    {
        if (experiment.Status != ExperimentStatus.Running)
        {
            return null;
        }
        var sticky = await assignments.GetAsync(experiment.Key, userId, cancellationToken);
        var variant = sticky is null ? null : experiment.Variants.FirstOrDefault(v => v.Key == sticky.VariantKey);
        if (variant is not null)
        {
            return variant;
        }
        variant = VariantAssigner.Assign(experiment, userId);
        if (variant is not null)
        {
            await assignments.GetOrAddAsync(new Assignment(experiment.Key, userId, variant.Key, time.GetUtcNow()), cancellationToken);
        }
        return variant;
    }

    private async Task<(IReadOnlyList<ScoredItem> Items, string ServedBy)> ServeAsync(
        string recipe, RecommendationRequest request, CancellationToken cancellationToken)
    {
        var model = models.Find(recipe);
        if (model is null)
        {
            return await FallbackAsync(request, ServedBy.NotTrained, cancellationToken);
        }
        var itemId = request.ItemId;
        if (recipe == Recipes.Sims && itemId is null)
        {
            // Similar-items needs a seed item: the user's most recent one stands in for it.
            var recent = await events.ListByUserAsync(request.UserId, 1, cancellationToken);
            itemId = recent.Count > 0 ? recent[0].ItemId : null;
            if (itemId is null)
            {
                return await FallbackAsync(request, ServedBy.NoItem, cancellationToken);
            }
        }
        try
        {
            var items = await model.RecommendAsync(new ModelQuery(request.UserId, itemId, request.NumResults), cancellationToken);
            return (items, ServedBy.Primary);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return await FallbackAsync(request, ServedBy.ModelError, cancellationToken);
        }
    }

    private async Task<(IReadOnlyList<ScoredItem> Items, string ServedBy)> FallbackAsync(
        RecommendationRequest request, string reason, CancellationToken cancellationToken)
    {
        var fallback = models.Find(options.FallbackRecipe);
        IReadOnlyList<ScoredItem> items = fallback is null
            ? []
            : await fallback.RecommendAsync(new ModelQuery(request.UserId, null, request.NumResults), cancellationToken);
        return (items, ServedBy.Fallback(reason));
    }
}
