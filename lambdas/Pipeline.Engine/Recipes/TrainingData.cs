using Pipeline.Domain.Catalog;
using Pipeline.Engine.Datasets;

namespace Pipeline.Engine.Recipes;

/// <summary>What a dataset group holds for training: interactions, and the item and user metadata when imported.</summary>
public sealed record TrainingData(InteractionDataset Interactions, IReadOnlyList<Item>? Items = null, IReadOnlyList<User>? Users = null);
