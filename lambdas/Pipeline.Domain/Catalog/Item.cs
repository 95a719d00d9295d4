namespace Pipeline.Domain.Catalog;

/// <summary>An item of the catalog, with the metadata columns of Personalize's items schema.</summary>
public sealed record Item(string ItemId, string? Category, double? Price, DateTimeOffset? CreatedAt);
