namespace Pipeline.Engine.Recipes;

/// <summary>Hyperparameters of aws-popularity-count; <see cref="EventType"/> restricts counting to one event type (e.g. purchase).</summary>
public sealed record PopularityCountOptions(string? EventType = null);
