using System.Text.Json.Nodes;

namespace Pipeline.StatesLanguage.Interpreter;

/// <summary>The growing event list of one execution; safe to append from concurrent branches.</summary>
internal sealed class ExecutionHistory(TimeProvider time)
{
    private readonly List<HistoryEvent> _events = [];
    private readonly Lock _lock = new();

    public long Add(long previousEventId, string type, string? detailsName = null, JsonObject? details = null)
    {
        lock (_lock)
        {
            var id = _events.Count + 1L;
            _events.Add(new HistoryEvent(id, previousEventId, time.GetUtcNow(), type, detailsName, details));
            return id;
        }
    }

    public IReadOnlyList<HistoryEvent> Snapshot()
    {
        lock (_lock)
        {
            return _events.ToList();
        }
    }
}
