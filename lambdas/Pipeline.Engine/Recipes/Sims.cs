using Pipeline.Engine.Datasets;

namespace Pipeline.Engine.Recipes;

/// <summary>
/// Trains aws-sims: similarity(i, j) = co(i, j) / (users(i) · users(j))^d with d the popularity discount, over
/// pairs with at least min_cointeraction_count common users. With d = 0.5 this is cosine similarity; d = 0 ranks
/// by raw co-occurrence (popular items dominate), d = 1 favours niche items.
/// </summary>
public static class Sims
{
    public static SimsModel Train(InteractionDataset dataset, SimsOptions? options = null, CancellationToken cancellationToken = default) =>
        Train(FeedbackMatrix.From(dataset), options, cancellationToken);

    public static SimsModel Train(FeedbackMatrix matrix, SimsOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        options ??= new SimsOptions();
        var neighbours = CoOccurrence.TopNeighbours(matrix, options.NumNeighbours, new DiscountedScore(matrix, options), cancellationToken);
        var popularity = new int[matrix.ItemCount];
        for (var i = 0; i < popularity.Length; i++) popularity[i] = matrix.Popularity(i);
        return new SimsModel(matrix.ItemIds, popularity, neighbours, options);
    }

    /// <summary>The discounted co-occurrence score; public so item-kNN and tests share the definition.</summary>
    public readonly struct DiscountedScore : IPairScore
    {
        private readonly float[] _discount;
        private readonly int _minCount;

        public DiscountedScore(FeedbackMatrix matrix, SimsOptions options)
        {
            _minCount = Math.Max(1, options.MinCointeractionCount);
            _discount = new float[matrix.ItemCount];
            for (var i = 0; i < _discount.Length; i++)
                _discount[i] = (float)Math.Pow(Math.Max(1, matrix.Popularity(i)), -options.PopularityDiscountFactor);
        }

        public float Score(int item, int other, int coCount) =>
            coCount < _minCount ? float.NegativeInfinity : coCount * _discount[item] * _discount[other];
    }
}
