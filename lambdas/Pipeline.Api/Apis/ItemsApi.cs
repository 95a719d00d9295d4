using Pipeline.Api.Handlers;

namespace Pipeline.Api.Apis;

public static class ItemsApi
{
    public static IEndpointRouteBuilder MapItemsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/items/{itemId}", (string itemId, ItemsHandler handler, CancellationToken cancellationToken) =>
            handler.GetAsync(itemId, cancellationToken)).WithName("GetItem");
        app.MapGet("/items/{itemId}/similar", (string itemId, string? num_results, ItemsHandler handler, CancellationToken cancellationToken) =>
            handler.SimilarAsync(itemId, num_results, cancellationToken)).WithName("GetSimilarItems");
        return app;
    }
}
