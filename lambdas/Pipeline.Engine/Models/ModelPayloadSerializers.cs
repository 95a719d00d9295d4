using Pipeline.Engine.Recipes;

namespace Pipeline.Engine.Models;

/// <summary>The payload serializers by recipe; new recipes add theirs to <see cref="Default"/> or to a registry of their own.</summary>
public sealed class ModelPayloadSerializers
{
    private readonly Dictionary<string, IModelPayloadSerializer> _byRecipe = new(StringComparer.Ordinal);

    public ModelPayloadSerializers(IEnumerable<IModelPayloadSerializer> serializers)
    {
        foreach (var serializer in serializers) _byRecipe[serializer.Recipe] = serializer;
    }

    public static ModelPayloadSerializers Default { get; } = new([new PopularityCountSerializer(), new TrendingNowSerializer(), new PersonalizedRankingSerializer()]);

    public IEnumerable<string> Recipes => _byRecipe.Keys;

    public IModelPayloadSerializer For(string recipe) =>
        _byRecipe.TryGetValue(recipe, out var serializer)
            ? serializer
            : throw new InvalidModelArtifactException($"no model serializer for recipe '{recipe}' (known: {string.Join(", ", _byRecipe.Keys.Order(StringComparer.Ordinal))})");
}
