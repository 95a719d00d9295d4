using System.Text.Json.Nodes;

namespace Pipeline.StatesLanguage.Tests.Conformance;

/// <summary>
/// The comparable shape of an execution history: event types (with the state name for state entered/exited events)
/// in order where the execution is sequential; between a top-level Map or Parallel state's Entered and Exited events
/// (or the end of the execution) the sorted multiset of its events, because concurrent iterations and branches
/// interleave differently from run to run on any executor. Counts still show, e.g. one ParallelStateFailed or three.
/// </summary>
public static class HistoryShape
{
    /// <param name="events">GetExecutionHistory's events, oldest first.</param>
    public static IReadOnlyList<string> Of(IEnumerable<JsonObject> events)
    {
        var shape = new List<string>();
        List<string>? region = null;
        string? regionEnd = null;
        foreach (var e in events)
        {
            var type = (string)e["type"]!;
            var label = Label(type, e);
            if (region is not null && (label == regionEnd || type.StartsWith("Execution", StringComparison.Ordinal)))
            {
                Close(shape, region);
                region = null;
            }
            if (region is not null)
            {
                region.Add(label);
                continue;
            }
            shape.Add(label);
            if (type is "MapStateEntered" or "ParallelStateEntered")
            {
                region = [];
                regionEnd = label.Replace("Entered(", "Exited(", StringComparison.Ordinal);
            }
        }
        if (region is not null)
        {
            Close(shape, region);
        }
        return shape;
    }

    private static void Close(List<string> shape, List<string> region)
    {
        region.Sort(StringComparer.Ordinal);
        shape.Add("{ " + string.Join(", ", region) + " }");
    }

    private static string Label(string type, JsonObject e)
    {
        var details = e.Select(p => p.Value).OfType<JsonObject>().FirstOrDefault();
        return type.EndsWith("StateEntered", StringComparison.Ordinal) || type.EndsWith("StateExited", StringComparison.Ordinal)
            ? $"{type}({(string?)details?["name"]})"
            : type;
    }
}
