using System.Diagnostics;
using Pipeline.Domain.Recommendations;

namespace Pipeline.Cli.Commands;

/// <summary>Times every request to a model during evaluation, so `evaluate` reports per-request latency percentiles.</summary>
internal sealed class TimedModel(IRecommendationModel inner) : IRecommendationModel
{
    private readonly List<long> _ticks = [];

    public string Recipe => inner.Recipe;

    public async ValueTask<IReadOnlyList<ScoredItem>> RecommendAsync(ModelQuery query, CancellationToken cancellationToken = default)
    {
        var start = Stopwatch.GetTimestamp();
        var result = await inner.RecommendAsync(query, cancellationToken);
        _ticks.Add(Stopwatch.GetTimestamp() - start);
        return result;
    }

    /// <summary>The given percentile (0-100) of request latency in microseconds.</summary>
    public double PercentileMicroseconds(double percentile)
    {
        if (_ticks.Count == 0) return 0;
        var sorted = _ticks.Order().ToArray();
        var index = Math.Clamp((int)Math.Ceiling(percentile / 100 * sorted.Length) - 1, 0, sorted.Length - 1);
        return sorted[index] * 1_000_000.0 / Stopwatch.Frequency;
    }
}
