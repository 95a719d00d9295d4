namespace Pipeline.Engine.Recipes;

/// <summary>
/// The learned part of aws-user-personalization: scores every item for a user given their history (EASE) or
/// their factor (ALS). Implementations are immutable and thread-safe; scoring writes only to the caller's span.
/// </summary>
public interface IUserScorer
{
    UserPersonalizationAlgorithm Algorithm { get; }

    int ItemCount { get; }

    /// <summary>Length of a user factor; 0 when the scorer works from the history alone.</summary>
    int FactorLength { get; }

    /// <summary>The trained factor of training user <paramref name="user"/>; empty when <see cref="FactorLength"/> is 0.</summary>
    ReadOnlySpan<float> TrainedFactor(int user);

    /// <summary>A factor for a history that changed after training (ALS fold-in); null when not needed.</summary>
    float[]? FoldIn(ReadOnlySpan<int> history, ReadOnlySpan<float> start);

    /// <summary>
    /// Scores every item. <paramref name="weights"/> (parallel to <paramref name="history"/>, empty = all 1) say how
    /// much each history item counts; scorers that work from the factor alone ignore them.
    /// </summary>
    void Score(ReadOnlySpan<int> history, ReadOnlySpan<float> weights, ReadOnlySpan<float> factor, Span<float> scores);
}
