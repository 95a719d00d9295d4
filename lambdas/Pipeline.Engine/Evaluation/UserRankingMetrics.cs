namespace Pipeline.Engine.Evaluation;

/// <summary>One test user's ranking metrics (everything but coverage, which only exists across users).</summary>
public readonly record struct UserRankingMetrics(
    double ReciprocalRankAt25,
    double NdcgAt5,
    double NdcgAt10,
    double NdcgAt25,
    double PrecisionAt5,
    double PrecisionAt10,
    double PrecisionAt25,
    double RecallAt20);
