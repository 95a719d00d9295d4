using System.Collections.Immutable;

namespace Pipeline.Domain.Recommendations;

/// <summary>
/// The models being served, one per recipe. Publishing a retrained model swaps it in atomically,
/// so requests in flight finish on the model they started with.
/// </summary>
public sealed class ModelRegistry : IModelRegistry
{
    private ImmutableDictionary<string, IRecommendationModel> _models = ImmutableDictionary<string, IRecommendationModel>.Empty;

    public IReadOnlyList<string> Recipes => [.. _models.Keys.Order(StringComparer.Ordinal)];

    public IRecommendationModel? Find(string recipe) => _models.GetValueOrDefault(recipe);

    public void Publish(IRecommendationModel model) =>
        ImmutableInterlocked.AddOrUpdate(ref _models, model.Recipe, model, (_, _) => model);
}
