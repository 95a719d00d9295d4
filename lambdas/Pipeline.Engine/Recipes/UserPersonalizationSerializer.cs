using Pipeline.Engine.Numerics;
using Pipeline.Domain.Recommendations;
using Pipeline.Engine.Models;
using RecipeNames = Pipeline.Domain.Recommendations.Recipes;

namespace Pipeline.Engine.Recipes;

/// <summary>
/// aws-user-personalization payload: items, popularity, training histories (CSR), dated catalogue items, then the
/// scorer: EASE's B as float32 (n² × 4 bytes), ALS's user and item factors as float32, or the graph filter's sparse
/// rows (offsets, columns, float32 values) and its spectral part, then the event-type weight of every history item
/// (float32, parallel to the histories) and the category count with, when above 0, each item's category index and
/// share of it (artifacts written before these end without them and load with weight 1 and no categories).
/// The graph's spectral part by artifact format version (<see cref="ModelArtifact.FormatVersion"/>):
/// <list type="bullet">
/// <item>2 (written now): the rank (int32, 0 = no spectral part and nothing more), β (float32), the sharpening
/// coefficients −η·σ⁴ (float32 array, empty = none), the degree roots dᵢ^½ (float32, one per item), V's row scales
/// (float32, one per item) and V's int8 entries (items × rank): V once, shared by both blocks.</item>
/// <item>1 as first written with the low-pass part (GF-CF only): V (float32, items × rank) then dᵢ^½ (float32, one
/// per item); still read (V is quantized on load, β comes from the parameters).</item>
/// <item>1 with BSPM's sharpening: the float32 fold and serve rows F and G (2 × items × 2·rank floats, 937 MiB at 95,666
/// items): refused with a message that says to retrain (issue #15: that layout cannot load in under 1 s).</item>
/// </list>
/// Real-time events since training are not part of the artifact: the next training run includes them.
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
                WriteLowRank(payload, graph.LowRank);
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

    public IRecommendationModel Read(BinaryReader payload, IReadOnlyDictionary<string, string> parameters) =>
        Read(payload, parameters, ModelArtifact.FormatVersion);

    public IRecommendationModel Read(BinaryReader payload, IReadOnlyDictionary<string, string> parameters, ushort formatVersion)
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
            UserPersonalizationAlgorithm.Graph => ReadGraph(payload, options.Graph, itemIds.Length, formatVersion),
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

    private static void WriteLowRank(BinaryWriter payload, LowRankFilter? lowRank)
    {
        payload.Write(lowRank?.Rank ?? 0);
        if (lowRank is null) return;
        payload.Write(lowRank.Weight);
        BinaryArrays.Write<float>(payload, lowRank.Sharpening);
        BinaryArrays.Write<float>(payload, lowRank.Roots);
        BinaryArrays.Write<float>(payload, lowRank.Vectors.Scales);
        BinaryArrays.Write<sbyte>(payload, lowRank.Vectors.Values);
    }

    private static ItemGraphScorer ReadGraph(BinaryReader payload, ItemGraphOptions options, int items, ushort formatVersion)
    {
        var offsets = BinaryArrays.Read<int>(payload);
        var columns = BinaryArrays.Read<int>(payload);
        var values = BinaryArrays.Read<float>(payload);
        if (offsets.Length != items + 1) throw new InvalidModelArtifactException("corrupted aws-user-personalization payload: graph filter size");
        try
        {
            var lowRank = formatVersion >= 2 ? ReadLowRank(payload, items) : ReadFormat1LowRank(payload, items, (float)options.LowRankWeight);
            return new ItemGraphScorer(new SparseRows(offsets, columns, values, items), options, lowRank);
        }
        catch (ArgumentException e)
        {
            throw new InvalidModelArtifactException($"corrupted aws-user-personalization payload: {e.Message}");
        }
    }

    private static LowRankFilter? ReadLowRank(BinaryReader payload, int items)
    {
        var rank = payload.ReadInt32();
        if (rank == 0) return null;
        if (rank < 0) throw new InvalidModelArtifactException($"corrupted aws-user-personalization payload: graph rank {rank}");
        var weight = payload.ReadSingle();
        var sharpening = BinaryArrays.Read<float>(payload);
        var roots = BinaryArrays.Read<float>(payload);
        var scales = BinaryArrays.Read<float>(payload);
        var vectors = BinaryArrays.Read<sbyte>(payload);
        if (roots.Length != items || scales.Length != items || vectors.LongLength != (long)items * rank)
            throw new InvalidModelArtifactException("corrupted aws-user-personalization payload: graph spectral part size");
        return new LowRankFilter(new QuantizedRows(vectors, scales, rank), roots, weight, sharpening);
    }

    /// <summary>
    /// Format 1's two layouts: V and dᵢ^½ (GF-CF's low-pass part alone, written before BSPM's sharpening) load;
    /// the float fold and serve rows written with BSPM's sharpening are refused.
    /// </summary>
    private static LowRankFilter? ReadFormat1LowRank(BinaryReader payload, int items, float weight)
    {
        var vectors = BinaryArrays.Read<float>(payload);
        var second = BinaryArrays.Read<float>(payload);
        if (vectors.Length == 0) return null;
        if (second.Length == items && vectors.Length != items && items > 0 && vectors.Length % items == 0)
        {
            if (weight <= 0) return null;
            var rank = vectors.Length / items;
            return new LowRankFilter(new QuantizedRows(vectors, items, rank), second, weight, []);
        }
        if (second.Length == vectors.Length)
            throw new InvalidModelArtifactException(
                "this aws-user-personalization graph model stores its spectral part as float fold and serve rows (artifact format 1 " +
                $"with BSPM's sharpening), a layout this build no longer reads; retrain the solution to write format {ModelArtifact.FormatVersion}");
        throw new InvalidModelArtifactException("corrupted aws-user-personalization payload: graph spectral part size");
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
