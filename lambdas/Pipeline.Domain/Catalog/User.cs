namespace Pipeline.Domain.Catalog;

/// <summary>A user, with the metadata columns of Personalize's users schema as free-form attributes.</summary>
public sealed record User(string UserId, IReadOnlyDictionary<string, string> Attributes);
