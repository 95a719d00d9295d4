using Pipeline.Domain.Catalog;
using Pipeline.Engine.Datasets;

namespace Pipeline.Engine.Recipes;

/// <summary>
/// What a dataset group holds for training: interactions, and the item and user metadata when imported.
/// <see cref="Validation"/>, when given (`pipeline evaluate --valid`), is the split recipes tune on instead of one
/// they carve from the interactions: its training rows and held-out targets.
/// </summary>
public sealed record TrainingData(InteractionDataset Interactions, IReadOnlyList<Item>? Items = null, IReadOnlyList<User>? Users = null)
{
    public Evaluation.HoldoutSplit? Validation { get; init; }
}
