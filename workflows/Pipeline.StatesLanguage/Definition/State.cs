using System.Text.Json.Nodes;

namespace Pipeline.StatesLanguage.Definition;

/// <summary>Fields every state has. Omitted paths are "$"; a path given as JSON null is a C# null.</summary>
public abstract class State
{
    public required string Name { get; init; }

    public string? Comment { get; internal set; }

    /// <summary>The next state, or null where the state ends its branch (End, Succeed, Fail) or chooses (Choice).</summary>
    public string? Next { get; internal set; }

    public bool End { get; internal set; }

    public string? InputPath { get; internal set; } = "$";

    public string? OutputPath { get; internal set; } = "$";

    public abstract string Type { get; }
}

/// <summary>Task, Parallel and Map: they produce a result, and can retry and catch.</summary>
public abstract class ResultState : State
{
    /// <summary>The payload template applied to the effective input (Map: to each item, as ItemSelector).</summary>
    public JsonNode? Parameters { get; init; }

    public JsonNode? ResultSelector { get; init; }

    public string? ResultPath { get; init; } = "$";

    public IReadOnlyList<Retrier> Retry { get; init; } = [];

    public IReadOnlyList<Catcher> Catch { get; init; } = [];
}

public sealed class PassState : State
{
    public override string Type => "Pass";

    public bool HasResult { get; init; }

    public JsonNode? Result { get; init; }

    public JsonNode? Parameters { get; init; }

    public string? ResultPath { get; init; } = "$";
}

public sealed class TaskState : ResultState
{
    public override string Type => "Task";

    public required string Resource { get; init; }

    public int? TimeoutSeconds { get; init; }

    public string? TimeoutSecondsPath { get; init; }

    public int? HeartbeatSeconds { get; init; }

    public string? HeartbeatSecondsPath { get; init; }
}

public sealed class ChoiceState : State
{
    public override string Type => "Choice";

    public required IReadOnlyList<ChoiceRule> Choices { get; init; }

    public string? Default { get; init; }
}

public sealed class WaitState : State
{
    public override string Type => "Wait";

    public decimal? Seconds { get; init; }

    public string? SecondsPath { get; init; }

    public DateTimeOffset? Timestamp { get; init; }

    public string? TimestampPath { get; init; }
}

public sealed class SucceedState : State
{
    public override string Type => "Succeed";
}

public sealed class FailState : State
{
    public override string Type => "Fail";

    public string? Error { get; init; }

    public string? ErrorPath { get; init; }

    public string? Cause { get; init; }

    public string? CausePath { get; init; }
}

public sealed class ParallelState : ResultState
{
    public override string Type => "Parallel";

    public required IReadOnlyList<StateMachineDefinition> Branches { get; init; }
}

public sealed class MapState : ResultState
{
    public override string Type => "Map";

    public required StateMachineDefinition ItemProcessor { get; init; }

    public string? ItemsPath { get; init; } = "$";

    /// <summary>0 means no limit, as in AWS.</summary>
    public int MaxConcurrency { get; init; }

    public string? MaxConcurrencyPath { get; init; }
}
