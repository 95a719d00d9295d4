namespace Pipeline.Api.Contracts;

public sealed record ItemBody(string ItemId, string? Category, double? Price, DateTimeOffset? CreatedAt);

public sealed record SimilarItemsBody(string ItemId, string Recipe, string ServedBy, IReadOnlyList<RecommendedItemBody> Items);
