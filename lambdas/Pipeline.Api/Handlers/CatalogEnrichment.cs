using Pipeline.Api.Contracts;
using Pipeline.Domain.Catalog;
using Pipeline.Domain.Recommendations;

namespace Pipeline.Api.Handlers;

/// <summary>
/// <c>enrich: true</c> on POST /recommendations: each item with its catalog entry's category and price (absent
/// for an item the catalog does not know). Only enriched requests read the catalog.
/// </summary>
public static class CatalogEnrichment
{
    public static async Task<RecommendedItemBody[]> EnrichAsync(IReadOnlyList<ScoredItem> recommended, IItemStore items, CancellationToken cancellationToken)
    {
        var bodies = new RecommendedItemBody[recommended.Count];
        for (var i = 0; i < bodies.Length; i++)
        {
            var (itemId, score) = recommended[i];
            var entry = await items.GetAsync(itemId, cancellationToken);
            bodies[i] = new RecommendedItemBody(itemId, Math.Round(score, 6), entry?.Category, entry?.Price);
        }
        return bodies;
    }
}
