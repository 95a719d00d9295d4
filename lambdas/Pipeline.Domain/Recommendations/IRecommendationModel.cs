namespace Pipeline.Domain.Recommendations;

public readonly record struct ScoredItem(string ItemId, double Score);

/// <summary>What a model is asked: a user (and, for similar-items, an item) and how many results.</summary>
/// <param name="Filter">The request's filter, applied by the fallback chain around each model it asks; models never see it.</param>
public sealed record ModelQuery(string UserId, string? ItemId, int NumResults, IRecommendationFilter? Filter = null);

/// <summary>A trained model that answers queries; Personalize campaigns and the in-house engine both implement it.</summary>
public interface IRecommendationModel
{
    /// <summary>The Personalize recipe name, e.g. <c>aws-popularity-count</c>.</summary>
    string Recipe { get; }

    ValueTask<IReadOnlyList<ScoredItem>> RecommendAsync(ModelQuery query, CancellationToken cancellationToken = default);
}

/// <summary>Finds the model that serves a recipe, if one has been trained.</summary>
public interface IModelRegistry
{
    IRecommendationModel? Find(string recipe);

    /// <summary>The recipes that have a trained model.</summary>
    IReadOnlyList<string> Recipes { get; }
}
