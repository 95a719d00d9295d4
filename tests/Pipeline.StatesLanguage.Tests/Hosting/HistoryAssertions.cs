using Pipeline.StatesLanguage.Interpreter;

namespace Pipeline.StatesLanguage.Tests.Hosting;

internal static class HistoryAssertions
{
    /// <summary>The event types in order, e.g. "ExecutionStarted", "PassStateEntered", ...</summary>
    public static IReadOnlyList<string> Types(this Execution execution) => execution.History.Select(e => e.Type).ToList();

    /// <summary>The states entered, in order.</summary>
    public static IReadOnlyList<string> StatesEntered(this Execution execution) =>
        execution.History.Where(e => e.Type.EndsWith("StateEntered", StringComparison.Ordinal)).Select(e => e.StateName!).ToList();

    public static IReadOnlyList<HistoryEvent> OfType(this Execution execution, string type) =>
        execution.History.Where(e => e.Type == type).ToList();

    public static string Json(this Execution execution) => execution.Output?.ToJsonString() ?? "null";
}
