using Pipeline.Engine.Datasets;

namespace Pipeline.Engine.Evaluation;

/// <summary>A test user: the items of their target interactions, which a model trained on <see cref="HoldoutSplit.Training"/> should rank high.</summary>
public sealed record HoldoutUser(string UserId, IReadOnlySet<string> TargetItemIds);

/// <summary>
/// Training rows (everything except the target rows, so a held-out user's older 90% is what a model sees of
/// them, as Personalize feeds it at evaluation) and the test users.
/// </summary>
public sealed record HoldoutSplit(InteractionDataset Training, IReadOnlyList<HoldoutUser> TestUsers, int CatalogItemCount);
