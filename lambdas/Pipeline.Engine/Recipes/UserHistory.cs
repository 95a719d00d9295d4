namespace Pipeline.Engine.Recipes;

/// <summary>
/// A user's state after real-time events: the model's item indices they interacted with, ids of items the model
/// does not know (kept so that exploration does not show them again) and, for ALS, the folded-in factor.
/// <see cref="Items"/> run oldest to newest (by each item's latest event) and <see cref="TypeWeights"/> holds the
/// weight of each one's strongest event type (see <see cref="HistoryWeighting"/>).
/// Immutable: an event replaces the whole state, so readers never see half an update.
/// </summary>
public sealed record UserHistory(int[] Items, string[] UnknownItems, float[]? Factor, float[] TypeWeights);
