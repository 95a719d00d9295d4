using Pipeline.Domain.Recommendations;
using Pipeline.Engine.Models;
using RecipeNames = Pipeline.Domain.Recommendations.Recipes;

namespace Pipeline.Engine.Recipes;

/// <summary>
/// aws-user-personalization payload: items, popularity, training histories (CSR), dated catalogue items, then the
/// scorer: EASE's B as float32 (n² × 4 bytes), ALS's user and item factors as float32, or the graph filter's sparse
/// rows (offsets, columns, float32 values) with its low-pass part (V and the items' degree roots, empty without), then the event-type weight
/// of every history item (float32, parallel to the histories) and the category count with, when above 0, each item's
/// category index and share of it (artifacts written before these end without them and load with weight 1 and no
/// categories). Real-time events since training are not
/// part of the artifact: the next training run includes them.
/// </summary>
public sealed class UserPersonalizationSerializer : IModelPayloadSerializer
{
    private const string ExplorationWeight = ItemExplorationConfig.ExplorationWeightName;
    private const string ExplorationAge = ItemExplorationConfig.ExplorationItemAgeCutOffName;

    public string Recipe => RecipeNames.UserPersonalization;

    public IReadOnlyDictionary<string, string> Parameters(IRecommendationModel model)
    {
        var up = Cast(model);
        var parameters = new Dictionary<string, string>(up.Options.ToHyperParameters())
        {
            [ExplorationWeight] = HyperParameters.Format(up.Exploration.ExplorationWeight),
            [ExplorationAge] = HyperParameters.Format(up.Exploration.ExplorationItemAgeCutOffDays),
        };
        return parameters;
    }

    public void Write(BinaryWriter payload, IRecommendationModel model)
    {
        var up = Cast(model);
        BinaryArrays.WriteStrings(payload, up.ItemIds);
        BinaryArrays.Write<int>(payload, up.Popularity);
        BinaryArrays.WriteStrings(payload, up.UserIds);
        BinaryArrays.Write<int>(payload, up.UserOffsets);
        BinaryArrays.Write<int>(payload, up.UserItems);
        BinaryArrays.WriteStrings(payload, up.Catalog.ItemIds);
        BinaryArrays.Write<long>(payload, up.Catalog.CreatedAt);
        payload.Write(up.ReferenceTime);
        switch (up.Scorer)
        {
            case EaseScorer ease:
                payload.Write((byte)UserPersonalizationAlgorithm.Ease);
                payload.Write(ease.Lambda);
                BinaryArrays.Write<float>(payload, ease.Weights);
                break;
            case AlsScorer als:
                payload.Write((byte)UserPersonalizationAlgorithm.Als);
                BinaryArrays.Write<float>(payload, als.UserFactors);
                BinaryArrays.Write<float>(payload, als.ItemFactors);
                break;
            case ItemGraphScorer graph:
                payload.Write((byte)UserPersonalizationAlgorithm.Graph);
                BinaryArrays.Write<int>(payload, graph.Filter.Offsets);
                BinaryArrays.Write<int>(payload, graph.Filter.Columns);
                BinaryArrays.Write<float>(payload, graph.Filter.Values);
                BinaryArrays.Write<float>(payload, graph.LowRank?.FoldRows ?? []);
                BinaryArrays.Write<float>(payload, graph.LowRank?.ServeRows ?? []);
                break;
            default:
                throw new ArgumentException($"unknown scorer {up.Scorer.GetType().Name}", nameof(model));
        }
        BinaryArrays.Write<float>(payload, up.UserItemWeights);
        payload.Write(up.Categories?.CategoryCount ?? 0);
        if (up.Categories is { } categories)
        {
            BinaryArrays.Write<int>(payload, categories.ItemCategory);
            BinaryArrays.Write<float>(payload, categories.ShareOfCategory);
        }
    }

    public IRecommendationModel Read(BinaryReader payload, IReadOnlyDictionary<string, string> parameters)
    {
        var itemIds = BinaryArrays.ReadStrings(payload);
        var popularity = BinaryArrays.Read<int>(payload);
        var userIds = BinaryArrays.ReadStrings(payload);
        var userOffsets = BinaryArrays.Read<int>(payload);
        var userItems = BinaryArrays.Read<int>(payload);
        var catalog = new ItemCreationTimes(BinaryArrays.ReadStrings(payload), BinaryArrays.Read<long>(payload));
        var referenceTime = payload.ReadInt64();
        var options = UserPersonalizationOptions.From(parameters);
        if (popularity.Length != itemIds.Length || userOffsets.Length != userIds.Length + 1 || userOffsets[^1] != userItems.Length
            || catalog.ItemIds.Length != catalog.CreatedAt.Length)
            throw new InvalidModelArtifactException("corrupted aws-user-personalization payload: array sizes disagree");
        foreach (var item in userItems)
            if ((uint)item >= (uint)itemIds.Length) throw new InvalidModelArtifactException("corrupted aws-user-personalization payload: item out of range");
        IUserScorer scorer = (UserPersonalizationAlgorithm)payload.ReadByte() switch
        {
            UserPersonalizationAlgorithm.Ease => ReadEase(payload, itemIds.Length),
            UserPersonalizationAlgorithm.Als => ReadAls(payload, options.AlsOrDefault, itemIds.Length, userIds.Length),
            UserPersonalizationAlgorithm.Graph => ReadGraph(payload, options.Graph, itemIds.Length),
            var other => throw new InvalidModelArtifactException($"corrupted aws-user-personalization payload: unknown algorithm {other}"),
        };
        float[]? weights = null;
        if (payload.BaseStream.Position < payload.BaseStream.Length)
        {
            weights = BinaryArrays.Read<float>(payload);
            if (weights.Length != userItems.Length) throw new InvalidModelArtifactException("corrupted aws-user-personalization payload: history weights size");
        }
        CategoryAffinity? categories = null;
        if (payload.BaseStream.Position < payload.BaseStream.Length && payload.ReadInt32() is var categoryCount and > 0)
        {
            var itemCategory = BinaryArrays.Read<int>(payload);
            var share = BinaryArrays.Read<float>(payload);
            if (itemCategory.Length != itemIds.Length || share.Length != itemIds.Length)
                throw new InvalidModelArtifactException("corrupted aws-user-personalization payload: category sizes");
            try
            {
                categories = new CategoryAffinity(itemCategory, share, categoryCount);
            }
            catch (ArgumentException e)
            {
                throw new InvalidModelArtifactException($"corrupted aws-user-personalization payload: {e.Message}");
            }
        }
        return new UserPersonalizationModel(itemIds, popularity, userIds, userOffsets, userItems, scorer, options, catalog, referenceTime,
            ItemExplorationConfig.From(parameters), weights, categories);
    }

    private static EaseScorer ReadEase(BinaryReader payload, int items)
    {
        var lambda = payload.ReadDouble();
        var weights = BinaryArrays.Read<float>(payload);
        if (weights.LongLength != (long)items * items) throw new InvalidModelArtifactException("corrupted aws-user-personalization payload: EASE matrix size");
        return new EaseScorer(weights, items, lambda);
    }

    private static ItemGraphScorer ReadGraph(BinaryReader payload, ItemGraphOptions options, int items)
    {
        var offsets = BinaryArrays.Read<int>(payload);
        var columns = BinaryArrays.Read<int>(payload);
        var values = BinaryArrays.Read<float>(payload);
        var fold = BinaryArrays.Read<float>(payload);
        var serve = BinaryArrays.Read<float>(payload);
        if (offsets.Length != items + 1) throw new InvalidModelArtifactException("corrupted aws-user-personalization payload: graph filter size");
        try
        {
            var lowRank = fold.Length == 0 ? null : serve.Length == items && fold.Length != items
                ? LowRankFromDegreeRoots(fold, serve, (float)options.LowRankWeight)
                : new LowRankFilter(fold, serve, items == 0 ? 1 : fold.Length / items);
            return new ItemGraphScorer(new SparseRows(offsets, columns, values, items), options, lowRank);
        }
        catch (ArgumentException e)
        {
            throw new InvalidModelArtifactException($"corrupted aws-user-personalization payload: {e.Message}");
        }
    }

    /// <summary>Artifacts written before BSPM's sharpening stored GF-CF's V and dⱼ^½ (its fold and serve rows follow from them).</summary>
    private static LowRankFilter LowRankFromDegreeRoots(float[] vectors, float[] roots, float weight)
    {
        var rank = vectors.Length / roots.Length;
        var serve = new float[vectors.Length];
        for (var i = 0; i < roots.Length; i++)
        for (var c = 0; c < rank; c++)
        {
            serve[i * rank + c] = weight * roots[i] * vectors[i * rank + c];
            vectors[i * rank + c] /= roots[i];
        }
        return new LowRankFilter(vectors, serve, rank);
    }

    private static AlsScorer ReadAls(BinaryReader payload, AlsOptions options, int items, int users)
    {
        var userFactors = BinaryArrays.Read<float>(payload);
        var itemFactors = BinaryArrays.Read<float>(payload);
        if (userFactors.LongLength != (long)users * options.Factors || itemFactors.LongLength != (long)items * options.Factors)
            throw new InvalidModelArtifactException("corrupted aws-user-personalization payload: factor sizes");
        return new AlsScorer(userFactors, itemFactors, options);
    }

    private static UserPersonalizationModel Cast(IRecommendationModel model) =>
        model as UserPersonalizationModel ?? throw new ArgumentException($"expected a {nameof(UserPersonalizationModel)}, got {model.GetType().Name}", nameof(model));
}
