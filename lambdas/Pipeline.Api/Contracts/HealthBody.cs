namespace Pipeline.Api.Contracts;

public sealed record HealthBody(string Status, IReadOnlyList<string> Models);
