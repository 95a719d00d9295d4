using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Pipeline.Api.Observability;

/// <summary>The API's OpenTelemetry instruments (meter <c>Pipeline.Api</c>): latency, fallbacks, and the fate of every event.</summary>
public sealed class ApiMetrics
{
    public const string MeterName = "Pipeline.Api";

    private readonly Histogram<double> _recommendationLatency;
    private readonly Counter<long> _recommendations;
    private readonly Counter<long> _events;
    private readonly Histogram<double> _rankingLatency;

    private readonly LiveMetrics _live;

    public ApiMetrics(IMeterFactory meters, LiveMetrics live)
    {
        _live = live;
        var meter = meters.Create(MeterName);
        _recommendationLatency = meter.CreateHistogram<double>("pipeline.recommendations.duration", "ms",
            "Time to serve POST /recommendations, models and assignment included.");
        _recommendations = meter.CreateCounter<long>("pipeline.recommendations", "{request}",
            "Recommendation lists served, by variant and by which link of the fallback chain served them.");
        _events = meter.CreateCounter<long>("pipeline.events", "{event}", "Events by outcome: accepted, duplicate or rejected.");
        _rankingLatency = meter.CreateHistogram<double>("pipeline.rankings.duration", "ms",
            "Time to serve POST /rankings, by variant and by which link of the ranking chain served it.");
    }

    public void RecommendationServed(double milliseconds, string? variant, string servedBy)
    {
        var tags = new TagList { { "variant", variant ?? "none" }, { "served_by", servedBy } };
        _recommendationLatency.Record(milliseconds, tags);
        _recommendations.Add(1, tags);
        _live.RecommendationServed(milliseconds, variant, servedBy);
    }

    public void RankingServed(double milliseconds, string? variant, string servedBy) =>
        _rankingLatency.Record(milliseconds, new TagList { { "variant", variant ?? "none" }, { "served_by", servedBy } });

    public void EventsAccepted(int accepted, int duplicates)
    {
        _events.Add(accepted, new KeyValuePair<string, object?>("outcome", "accepted"));
        _live.EventsRecorded(accepted);
        if (duplicates > 0)
        {
            _events.Add(duplicates, new KeyValuePair<string, object?>("outcome", "duplicate"));
        }
    }

    public void EventsRejected(int count) => _events.Add(count, new KeyValuePair<string, object?>("outcome", "rejected"));
}
