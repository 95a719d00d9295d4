using Microsoft.AspNetCore.Http.HttpResults;
using Pipeline.Api.Contracts;
using Pipeline.Api.Http;
using Pipeline.Api.Observability;
using Pipeline.Domain.Recommendations;

namespace Pipeline.Api.Handlers;

/// <summary>The recommendations "Lambda handler": a plain class; hosting and routing live in Apis/.</summary>
public sealed class RecommendationsHandler(RecommendationService service, ApiMetrics metrics, TimeProvider time)
{
    public const int MaxResults = 100;
    public const int DefaultResults = 10;

    public async Task<Results<Ok<RecommendationResponseBody>, ProblemHttpResult>> RecommendAsync(
        RecommendationRequestBody body, CancellationToken cancellationToken, string? forcedVariant = null)
    {
        var errors = new ValidationErrors();
        var userId = errors.Required("user_id", body.UserId);
        var itemId = errors.Optional("item_id", body.ItemId);
        var numResults = body.NumResults ?? DefaultResults;
        if (numResults is < 1 or > MaxResults)
        {
            errors.Add("num_results", $"'num_results' must be between 1 and {MaxResults}.");
        }
        if (errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
        }

        var started = time.GetTimestamp();
        var result = await service.RecommendAsync(new RecommendationRequest(userId!, numResults, itemId, forcedVariant), cancellationToken);
        metrics.RecommendationServed(time.GetElapsedTime(started).TotalMilliseconds, result.Variant, result.ServedBy);
        return TypedResults.Ok(new RecommendationResponseBody(
            result.UserId,
            result.Experiment,
            result.Variant,
            result.Recipe,
            result.RecommendationId,
            result.ServedBy,
            result.Items.Select(i => new RecommendedItemBody(i.ItemId, Math.Round(i.Score, 6))).ToArray()));
    }
}
