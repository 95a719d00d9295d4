using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.StatesLanguage.Interpreter;

namespace Pipeline.Workflows.Local;

/// <summary>
/// Finished executions kept as one JSON file each (<c>{folder}/{name}.json</c>): what DescribeExecution returns plus
/// the GetExecutionHistory events, so `workflow status` and `workflow history` work from a later process.
/// </summary>
public sealed class LocalExecutionStore(string folder)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public string Folder { get; } = folder;

    public static string NewExecutionName(TimeProvider? clock = null) =>
        $"{(clock ?? TimeProvider.System).GetUtcNow():yyyyMMdd'T'HHmmss'Z'}-{Guid.NewGuid().ToString("N")[..8]}";

    public static JsonObject Describe(Execution execution, string stateMachineName) => new()
    {
        ["executionArn"] = execution.ExecutionArn,
        ["stateMachineArn"] = execution.StateMachineArn,
        ["stateMachine"] = stateMachineName,
        ["name"] = execution.Name,
        ["status"] = StatusName(execution.Status),
        ["startDate"] = execution.StartDate.ToString("O"),
        ["stopDate"] = execution.StopDate?.ToString("O"),
        ["input"] = execution.Input?.ToJsonString(),
        ["output"] = execution.Output?.ToJsonString(),
        ["error"] = execution.Error,
        ["cause"] = execution.Cause,
    };

    public static string StatusName(ExecutionStatus status) => status.ToAwsName();

    public async Task SaveAsync(Execution execution, string stateMachineName, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(Folder);
        var record = Describe(execution, stateMachineName);
        record["history"] = execution.GetExecutionHistory()["events"]?.DeepClone();
        await File.WriteAllTextAsync(PathOf(execution.Name), record.ToJsonString(Indented), cancellationToken);
    }

    /// <summary>The record of an execution by its name or ARN (the ARN's last segment is the name); null when unknown.</summary>
    public async Task<JsonObject?> FindAsync(string nameOrArn, CancellationToken cancellationToken = default)
    {
        var name = nameOrArn[(nameOrArn.LastIndexOf(':') + 1)..];
        if (name.Length == 0 || name.IndexOfAny(['/', '\\', '.']) >= 0) return null;
        var path = PathOf(name);
        return File.Exists(path) ? JsonNode.Parse(await File.ReadAllTextAsync(path, cancellationToken))!.AsObject() : null;
    }

    public IReadOnlyList<string> Names() =>
        Directory.Exists(Folder)
            ? [.. Directory.EnumerateFiles(Folder, "*.json").Select(f => Path.GetFileNameWithoutExtension(f)!).Order(StringComparer.Ordinal)]
            : [];

    private string PathOf(string name) => Path.Combine(Folder, name + ".json");
}
