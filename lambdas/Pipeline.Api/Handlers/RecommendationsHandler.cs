using Microsoft.AspNetCore.Http.HttpResults;
using Pipeline.Api.Contracts;
using Pipeline.Api.Filters;
using Pipeline.Api.Http;
using Pipeline.Api.Observability;
using Pipeline.Domain.Catalog;
using Pipeline.Domain.Recommendations;

namespace Pipeline.Api.Handlers;

/// <summary>The recommendations "Lambda handler": a plain class; hosting and routing live in Apis/.</summary>
public sealed class RecommendationsHandler(RecommendationService service, ApiMetrics metrics, TimeProvider time, IItemStore items,
    RecommendationFilters filters, ILogger<RecommendationsHandler> logger)
{
    public const int MaxResults = 100;
    public const int DefaultResults = 10;

    public async Task<Results<Ok<RecommendationResponseBody>, ProblemHttpResult>> RecommendAsync(
        RecommendationRequestBody body, CancellationToken cancellationToken, string? forcedVariant = null)
    {
        var errors = new ValidationErrors();
        var userId = errors.Id("user_id", body.UserId, readByPath: true);
        var itemId = errors.OptionalId("item_id", body.ItemId, readByPath: true);
        var numResults = body.NumResults ?? DefaultResults;
        if (numResults is < 1 or > MaxResults)
        {
            errors.Add("num_results", $"'num_results' must be between 1 and {MaxResults}.");
        }
        var filter = body.Context is null && body.Filter is null && body.FilterValues is null
            ? null
            : filters.Bind(userId, itemId, body.Context, body.Filter, body.FilterValues, errors);
        if (errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        // A seed item must be one the catalog knows (only read when one is given, so the usual request pays nothing).
        if (itemId is not null && await items.GetAsync(itemId, cancellationToken) is null)
        {
            return Problems.Unprocessable("item_id", $"'item_id' names no item of the catalog: '{itemId}'.");
        }

        var started = time.GetTimestamp();
        var result = await service.RecommendAsync(new RecommendationRequest(userId!, numResults, itemId, forcedVariant, filter, body.Context), cancellationToken);
        var servedBy = filter switch
        {
            RecommendationFilter { SelectsNothing: true } => result.ServedBy + RecommendationFilter.SelectsNothingSuffix,
            RecommendationFilter { BudgetSpent: true } => result.ServedBy + RecommendationFilter.BudgetSpentSuffix,
            _ => result.ServedBy,
        };
        metrics.RecommendationServed(time.GetElapsedTime(started).TotalMilliseconds, result.Variant, servedBy);
        if (servedBy != ServedBy.Primary)
        {
            ServingLog.ServedByFallback(logger, "recommendations", result.UserId, servedBy, result.Recipe, result.Variant);
        }
        return TypedResults.Ok(new RecommendationResponseBody(
            result.UserId,
            result.Experiment,
            result.Variant,
            result.Recipe,
            result.RecommendationId,
            servedBy,
            body.Enrich == true
                ? await CatalogEnrichment.EnrichAsync(result.Items, items, cancellationToken)
                : result.Items.Select(i => new RecommendedItemBody(i.ItemId, Math.Round(i.Score, 6))).ToArray(),
            result.Model?.CampaignArn,
            result.Model?.SolutionVersionArn));
    }
}
