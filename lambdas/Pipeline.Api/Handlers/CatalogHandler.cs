using Microsoft.AspNetCore.Http.HttpResults;
using Pipeline.Api.Contracts;
using Pipeline.Api.Http;
using Pipeline.Domain.Catalog;

namespace Pipeline.Api.Handlers;

/// <summary>
/// Catalog writes (PUT /items, PUT /users): batch upserts, all or nothing. Every row is validated first and any
/// fault rejects the whole batch with every field at fault named (<c>items[3].item_id</c>); only a valid batch
/// reaches the store, in one call (one SQLite transaction locally).
/// </summary>
public sealed class CatalogHandler(IItemStore items, IUserStore users, TimeProvider time)
{
    public const int MaxBatch = 500;
    private const int MaxCategoryLength = 1000;
    private const int MaxAttributes = 50;
    private const int MaxAttributeNameLength = 150;
    private const int MaxAttributeValueLength = 1000;

    public async Task<Results<Ok<UpsertedBody>, ProblemHttpResult>> UpsertItemsAsync(ItemsUpsertRequestBody body, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var rows = Batch(body.Items, "items", errors);
        var parsed = new List<Item>(rows.Count);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < rows.Count; i++)
        {
            var prefix = $"items[{i}]";
            if (rows[i] is not { } row)
            {
                errors.Add(prefix, "An item must be a JSON object.");
                continue;
            }
            var before = errors.Count;
            var itemId = errors.Id(prefix + ".item_id", row.ItemId, readByPath: true);
            if (itemId is not null && !seen.TryAdd(itemId, i))
            {
                errors.Add(prefix + ".item_id", $"'{itemId}' is already items[{seen[itemId]}]; each item may appear once.");
            }
            if (row.Category is { } category && (category.Length == 0 || category.Length > MaxCategoryLength))
            {
                errors.Add(prefix + ".category", $"'category' must be 1 to {MaxCategoryLength} characters.");
            }
            if (row.Price is { } price && (!double.IsFinite(price) || price < 0))
            {
                errors.Add(prefix + ".price", "'price' must be a non-negative number.");
            }
            var created = Timestamps.Parse(row.CreationTimestamp, prefix + ".creation_timestamp", errors, time.GetUtcNow());
            if (errors.Count == before)
            {
                parsed.Add(new Item(itemId!, row.Category, row.Price, created));
            }
        }
        if (errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        await items.UpsertAsync(parsed, cancellationToken);
        return TypedResults.Ok(new UpsertedBody(parsed.Count));
    }

    public async Task<Results<Ok<UpsertedBody>, ProblemHttpResult>> UpsertUsersAsync(UsersUpsertRequestBody body, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var rows = Batch(body.Users, "users", errors);
        var parsed = new List<User>(rows.Count);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < rows.Count; i++)
        {
            var prefix = $"users[{i}]";
            if (rows[i] is not { } row)
            {
                errors.Add(prefix, "A user must be a JSON object.");
                continue;
            }
            var before = errors.Count;
            var userId = errors.Id(prefix + ".user_id", row.UserId, readByPath: true);
            if (userId is not null && !seen.TryAdd(userId, i))
            {
                errors.Add(prefix + ".user_id", $"'{userId}' is already users[{seen[userId]}]; each user may appear once.");
            }
            var attributes = row.Attributes ?? new Dictionary<string, string>();
            if (attributes.Count > MaxAttributes)
            {
                errors.Add(prefix + ".attributes", $"'attributes' may hold at most {MaxAttributes} fields.");
            }
            foreach (var (name, value) in attributes)
            {
                if (string.IsNullOrWhiteSpace(name) || name.Length > MaxAttributeNameLength)
                {
                    errors.Add($"{prefix}.attributes.{name}", $"An attribute name must be 1 to {MaxAttributeNameLength} characters.");
                }
                else if (value is null || value.Length > MaxAttributeValueLength)
                {
                    errors.Add($"{prefix}.attributes.{name}", $"An attribute value must be a string of at most {MaxAttributeValueLength} characters.");
                }
            }
            if (errors.Count == before)
            {
                parsed.Add(new User(userId!, attributes));
            }
        }
        if (errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        await users.UpsertAsync(parsed, cancellationToken);
        return TypedResults.Ok(new UpsertedBody(parsed.Count));
    }

    public async Task<Results<Ok<UserBody>, ProblemHttpResult>> GetUserAsync(string userId, CancellationToken cancellationToken) =>
        await users.GetAsync(userId, cancellationToken) is { } user
            ? TypedResults.Ok(new UserBody(user.UserId, user.Attributes))
            : Problems.Create(StatusCodes.Status404NotFound, "User not found", $"No user '{userId}' is in the catalog.");

    private static IReadOnlyList<T?> Batch<T>(IReadOnlyList<T?>? rows, string field, ValidationErrors errors)
        where T : class
    {
        if (rows is null || rows.Count is 0 or > MaxBatch)
        {
            errors.Add(field, $"'{field}' must hold between 1 and {MaxBatch} entries.");
            return [];
        }
        return rows;
    }
}
