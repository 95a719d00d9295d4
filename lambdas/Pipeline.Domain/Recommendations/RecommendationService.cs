using Pipeline.Domain.Events;
using Pipeline.Domain.Experiments;
using Pipeline.Domain.Experiments.Metrics;

namespace Pipeline.Domain.Recommendations;

/// <summary>
/// Serves one recommendation request: puts the user in a variant (sticky), asks the variant's model,
/// falls back to the popularity model when that model is missing or fails, and logs the exposure.
/// Users in the experiment's holdout get the fallback recipe and no exposure; a forced variant (QA) is
/// served without assignment or exposure.
/// </summary>
public sealed class RecommendationService(
    IExperimentStore experiments,
    IAssignmentStore assignments,
    IExposureStore exposures,
    IEventStore events,
    IModelRegistry models,
    ServingOptions options,
    TimeProvider time,
    ExperimentMetricsRecorder metrics)
{
    public async Task<RecommendationResult> RecommendAsync(RecommendationRequest request, CancellationToken cancellationToken = default)
    {
        var started = time.GetTimestamp();
        var experiment = await experiments.GetAsync(options.DefaultExperiment, cancellationToken);
        var forced = experiment?.Variants.FirstOrDefault(v => v.Key == request.ForcedVariant);
        var variant = forced ?? (experiment is null ? null : await AssignAsync(experiment, request.UserId, cancellationToken));
        var recipe = variant?.Recipe ?? options.FallbackRecipe;

        var (items, servedBy) = await ServeAsync(recipe, request, cancellationToken);
        var recommendationId = Guid.CreateVersion7(time.GetUtcNow()).ToString("N");
        if (experiment is not null && variant is not null && forced is null)
        {
            var exposure = new Exposure(recommendationId, experiment.Key, variant.Key, request.UserId, recipe, servedBy,
                items.Select(i => i.ItemId).ToArray(), time.GetUtcNow());
            await exposures.AppendAsync(exposure, cancellationToken);
            await metrics.RecordExposureAsync(experiment, exposure, time.GetElapsedTime(started), cancellationToken);
        }
        return new RecommendationResult(
            request.UserId, experiment?.Key, variant?.Key, recipe, recommendationId, servedBy, items, forced is not null);
    }

    private async Task<Variant?> AssignAsync(Experiment experiment, string userId, CancellationToken cancellationToken)
    {
        if (experiment.Status != ExperimentStatus.Running || VariantAssigner.InHoldout(experiment, userId))
        {
            return null;
        }
        var sticky = await assignments.GetAsync(experiment.StickyKey(), userId, cancellationToken);
        var variant = sticky is null ? null : experiment.Variants.FirstOrDefault(v => v.Key == sticky.VariantKey);
        if (variant is not null)
        {
            return variant;
        }
        variant = VariantAssigner.Assign(experiment, userId);
        if (variant is not null)
        {
            await assignments.GetOrAddAsync(new Assignment(experiment.StickyKey(), userId, variant.Key, time.GetUtcNow()), cancellationToken);
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
