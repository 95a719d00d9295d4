namespace Pipeline.Api.Contracts;

/// <summary>
/// One row of Personalize's items dataset: <c>category</c> (CATEGORY, categorical: <c>a|b</c> holds each part),
/// <c>price</c> (PRICE) and <c>creation_timestamp</c> (CREATION_TIMESTAMP, epoch seconds or ISO 8601, which
/// itemExplorationConfig's explorationItemAgeCutOff measures item age from).
/// </summary>
public sealed record ItemUpsertBody(string? ItemId, string? Category, double? Price, System.Text.Json.JsonElement? CreationTimestamp);

/// <summary>The body of <c>PUT /items</c>.</summary>
public sealed record ItemsUpsertRequestBody(IReadOnlyList<ItemUpsertBody?>? Items);

/// <summary>One row of Personalize's users dataset: the metadata columns (e.g. <c>MEMBERSHIP</c>) as strings.</summary>
public sealed record UserUpsertBody(string? UserId, IReadOnlyDictionary<string, string>? Attributes);

/// <summary>The body of <c>PUT /users</c>.</summary>
public sealed record UsersUpsertRequestBody(IReadOnlyList<UserUpsertBody?>? Users);

public sealed record UpsertedBody(int Upserted);

public sealed record UserBody(string UserId, IReadOnlyDictionary<string, string> Attributes);
