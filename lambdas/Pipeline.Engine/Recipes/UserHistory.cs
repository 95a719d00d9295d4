namespace Pipeline.Engine.Recipes;

/// <summary>
/// A user's state after real-time events: the model's item indices they interacted with, ids of items the model
/// does not know (kept so that exploration does not show them again) and, for ALS, the user factor.
/// <see cref="Items"/> run oldest to newest (by each item's latest event) and <see cref="TypeWeights"/> holds the
/// weight of each one's strongest event type (see <see cref="HistoryWeighting"/>).
/// <see cref="FactorIsStale"/> says <see cref="Factor"/> was folded in before the latest events: recording an event
/// only updates <see cref="Items"/> (cheap, on the events path) and the fold-in runs at the user's next
/// recommendation, which therefore still reflects every recorded event.
/// Immutable: an event replaces the whole state, so readers never see half an update.
/// </summary>
public sealed record UserHistory(int[] Items, string[] UnknownItems, float[]? Factor, float[] TypeWeights, bool FactorIsStale = false);
