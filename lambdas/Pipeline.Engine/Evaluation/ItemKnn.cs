using Pipeline.Engine.Recipes;

namespace Pipeline.Engine.Evaluation;

/// <summary>The item-kNN baseline (evaluation only): cosine similarity of item columns, no minimum co-count, top-k neighbours.</summary>
public static class ItemKnn
{
    public const string Name = "item-knn";

    public static ItemNeighbours Train(FeedbackMatrix matrix, int neighbours = 100) =>
        CoOccurrence.TopNeighbours(matrix, neighbours, new Sims.DiscountedScore(matrix, new SimsOptions(0.5, 1, neighbours)));
}
