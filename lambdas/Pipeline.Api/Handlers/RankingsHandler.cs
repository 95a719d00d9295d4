using Microsoft.AspNetCore.Http.HttpResults;
using Pipeline.Api.Contracts;
using Pipeline.Api.Filters;
using Pipeline.Api.Http;
using Pipeline.Api.Observability;
using Pipeline.Domain.Recommendations;
using Pipeline.Domain.Recommendations.Ranking;
using Pipeline.Engine.Filters;

namespace Pipeline.Api.Handlers;

/// <summary>POST /rankings: validates, then orders the candidates through the ranking chain (see <see cref="RankingService"/>).</summary>
public sealed class RankingsHandler(RankingService service, RankingFilters filters, ApiMetrics metrics, TimeProvider time,
    ILogger<RankingsHandler> logger)
{
    public async Task<Results<Ok<RankingResponseBody>, ProblemHttpResult>> RankAsync(
        RankingRequestBody body, CancellationToken cancellationToken, string? forcedVariant = null)
    {
        var errors = new ValidationErrors();
        var userId = errors.Id("user_id", body.UserId, readByPath: true);
        var itemIds = ItemIds(body.ItemIds, errors);
        RequestContext.Validate(body.Context, errors);
        CompiledFilter? filter = null;
        if (errors.Optional("filter", body.Filter) is { } expression)
        {
            try
            {
                filter = filters.Compile(expression);
            }
            catch (FilterExpressionException e)
            {
                errors.Add("filter", e.Message);
            }
        }
        if (body.FilterValues is { Count: > 0 } && body.Filter is null)
        {
            errors.Add("filter_values", "'filter_values' needs a 'filter'.");
        }
        if (filter is not null && userId is not null && RankingFilters.Check(filter, userId, body.FilterValues) is { } filterProblem)
        {
            errors.Add("filter_values", filterProblem);
        }
        if (errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
        }

        var started = time.GetTimestamp();
        var request = new RankingRequest(userId!, itemIds!,
            filter is null ? null : (ranked, ct) => filters.ApplyAsync(filter, userId!, body.FilterValues, ranked, ct),
            forcedVariant, body.Context);
        var result = await service.RankAsync(request, cancellationToken);
        metrics.RankingServed(time.GetElapsedTime(started).TotalMilliseconds, result.Variant, result.ServedBy);
        if (result.ServedBy != ServedBy.Primary)
        {
            ServingLog.ServedByFallback(logger, "rankings", result.UserId, result.ServedBy, result.Recipe, result.Variant);
        }
        return TypedResults.Ok(new RankingResponseBody(result.UserId, result.Experiment, result.Variant, result.Recipe,
            result.RecommendationId, result.ServedBy,
            [.. result.Items.Select(i => new RankedItemBody(i.ItemId, i.Score is { } score ? Math.Round(score, 6) : null))],
            result.Model?.CampaignArn, result.Model?.SolutionVersionArn));
    }

    private static string[]? ItemIds(IReadOnlyList<string?>? requested, ValidationErrors errors)
    {
        if (requested is null || requested.Count is 0 or > IRankingModel.MaxInputItems)
        {
            errors.Add("item_ids", $"'item_ids' must hold between 1 and {IRankingModel.MaxInputItems} item ids.");
            return null;
        }
        var ids = new string[requested.Count];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = errors.Required($"item_ids[{i}]", requested[i]) ?? "";
        }
        return ids;
    }
}
