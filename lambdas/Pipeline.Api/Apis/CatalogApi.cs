using Microsoft.AspNetCore.Http.HttpResults;
using Pipeline.Api.Contracts;
using Pipeline.Api.Handlers;
using Pipeline.Api.Http;

namespace Pipeline.Api.Apis;

/// <summary>
/// Catalog writes and user reads, one route group tagged "admin" so the admin API-key check attaches in one place.
/// Reads of items stay on the client API (<see cref="ItemsApi"/>).
/// </summary>
public static class CatalogApi
{
    public static RouteGroupBuilder MapCatalogApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("").WithTags("admin");
        group.MapPut("/items", UpsertItemsAsync)
            .WithName("PutItems")
            .WithSummary($"Upserts 1 to {CatalogHandler.MaxBatch} items (Personalize's items schema), all or nothing.")
            .Accepts<ItemsUpsertRequestBody>("application/json");
        group.MapPut("/users", UpsertUsersAsync)
            .WithName("PutUsers")
            .WithSummary($"Upserts 1 to {CatalogHandler.MaxBatch} users (Personalize's users schema), all or nothing.")
            .Accepts<UsersUpsertRequestBody>("application/json");
        group.MapGet("/users/{userId}", (string userId, CatalogHandler handler, CancellationToken cancellationToken) =>
            handler.GetUserAsync(userId, cancellationToken)).WithName("GetUser");
        return group;
    }

    private static async Task<Results<Ok<UpsertedBody>, ProblemHttpResult>> UpsertItemsAsync(
        HttpRequest request, CatalogHandler handler, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync(request, ApiJsonContext.Default.ItemsUpsertRequestBody, cancellationToken);
        return problem ?? (Results<Ok<UpsertedBody>, ProblemHttpResult>)await handler.UpsertItemsAsync(body!, cancellationToken);
    }

    private static async Task<Results<Ok<UpsertedBody>, ProblemHttpResult>> UpsertUsersAsync(
        HttpRequest request, CatalogHandler handler, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync(request, ApiJsonContext.Default.UsersUpsertRequestBody, cancellationToken);
        return problem ?? (Results<Ok<UpsertedBody>, ProblemHttpResult>)await handler.UpsertUsersAsync(body!, cancellationToken);
    }
}
