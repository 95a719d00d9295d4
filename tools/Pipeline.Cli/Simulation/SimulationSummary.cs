namespace Pipeline.Cli.Simulation;

/// <summary>
/// The run as the simulator saw it. Regret is measured on the lists' true click chance: for every list, what the best
/// variant of this run delivers per list on average minus what this list was worth, summed. A fixed split pays it on
/// every list of the worse arm; a bandit pays less as it moves traffic to the better one.
/// </summary>
public sealed record SimulationSummary(long Requests, long FailedRequests, long EventsPosted, IReadOnlyList<VariantTally> Variants, TimeSpan Elapsed)
{
    public double CumulativeRegret
    {
        get
        {
            if (Variants.Count == 0) return 0;
            var best = Variants.Max(v => v.MeanListValue);
            return Variants.Sum(v => v.Lists * best - v.ExpectedClickThroughSum);
        }
    }

    /// <summary>
    /// The regret a fixed equal split would have paid for the same lists at the same per-variant list values: each list
    /// served by every variant equally often. What a bandit's <see cref="CumulativeRegret"/> is compared with.
    /// </summary>
    public double EqualSplitRegret
    {
        get
        {
            if (Variants.Count == 0) return 0;
            var best = Variants.Max(v => v.MeanListValue);
            return Variants.Sum(v => v.Lists) * (best - Variants.Average(v => v.MeanListValue));
        }
    }

    /// <summary>The share of lists the variant with the best true list value served.</summary>
    public double BestVariantShare
    {
        get
        {
            var lists = Variants.Sum(v => v.Lists);
            return lists == 0 ? 0 : (double)Variants.MaxBy(v => v.MeanListValue)!.Lists / lists;
        }
    }
}
