using System.Diagnostics;
using Pipeline.Domain.Recommendations;

namespace Pipeline.Cli.Commands;

/// <summary>
/// Times every request to a model during evaluation, so `evaluate` reports per-request latency percentiles. The
/// evaluation asks from every core at once, so the timings are recorded under a lock.
/// </summary>
internal sealed class TimedModel(IRecommendationModel inner) : IRecommendationModel
{
    private readonly List<long> _ticks = [];

    public string Recipe => inner.Recipe;

    public async ValueTask<IReadOnlyList<ScoredItem>> RecommendAsync(ModelQuery query, CancellationToken cancellationToken = default)
    {
        var start = Stopwatch.GetTimestamp();
        var result = await inner.RecommendAsync(query, cancellationToken);
        var elapsed = Stopwatch.GetTimestamp() - start;
        lock (_ticks)
        {
            _ticks.Add(elapsed);
        }
        return result;
    }

    /// <summary>The given percentile (0-100) of request latency in microseconds.</summary>
    public double PercentileMicroseconds(double percentile)
    {
        long[] sorted;
        lock (_ticks)
        {
            sorted = [.. _ticks.Order()];
        }
        if (sorted.Length == 0) return 0;
        var index = Math.Clamp((int)Math.Ceiling(percentile / 100 * sorted.Length) - 1, 0, sorted.Length - 1);
        return sorted[index] * 1_000_000.0 / Stopwatch.Frequency;
    }
}
