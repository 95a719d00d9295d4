using Microsoft.AspNetCore.Http.HttpResults;
using Pipeline.Api.Contracts;
using Pipeline.Api.Http;
using Pipeline.Domain.Catalog;
using Pipeline.Domain.Recommendations;

namespace Pipeline.Api.Handlers;

/// <summary>Catalog reads: an item, and the items similar to it (aws-sims, through the fallback chain).</summary>
public sealed class ItemsHandler(IItemStore items, IModelRegistry models, FallbackChain fallbackChain)
{
    public async Task<Results<Ok<ItemBody>, ProblemHttpResult>> GetAsync(string itemId, CancellationToken cancellationToken) =>
        await items.GetAsync(itemId, cancellationToken) is { } item
            ? TypedResults.Ok(new ItemBody(item.ItemId, item.Category, item.Price, item.CreatedAt))
            : NotFound(itemId);

    public async Task<Results<Ok<SimilarItemsBody>, ProblemHttpResult>> SimilarAsync(
        string itemId, string? numResults, CancellationToken cancellationToken)
    {
        // Read as text so that '?num_results=abc' is a problem naming the field, not a bare 400 from binding.
        var count = RecommendationsHandler.DefaultResults;
        if (numResults is not null && !int.TryParse(numResults, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out count)
            || count is < 1 or > RecommendationsHandler.MaxResults)
        {
            return Problems.Validation("num_results", $"'num_results' must be between 1 and {RecommendationsHandler.MaxResults}.");
        }
        if (await items.GetAsync(itemId, cancellationToken) is null)
        {
            return NotFound(itemId);
        }
        var (similar, servedBy) = await fallbackChain.ServeAsync(
            models.Find(Recipes.Sims), new ModelQuery("", itemId, count), null, cancellationToken);
        return TypedResults.Ok(new SimilarItemsBody(itemId, Recipes.Sims, servedBy,
            [.. similar.Where(i => i.ItemId != itemId).Select(i => new RecommendedItemBody(i.ItemId, Math.Round(i.Score, 6)))]));
    }

    private static ProblemHttpResult NotFound(string itemId) =>
        Problems.Create(StatusCodes.Status404NotFound, "Item not found", $"No item '{itemId}' is in the catalog.");
}
