using System.Text.Json.Nodes;

namespace Pipeline.StatesLanguage.Definition;

/// <summary>A validated state machine (or a Parallel branch, or a Map's item processor).</summary>
public sealed class StateMachineDefinition
{
    internal StateMachineDefinition(string startAt, IReadOnlyDictionary<string, State> states, string? comment, int? timeoutSeconds)
    {
        StartAt = startAt;
        States = states;
        Comment = comment;
        TimeoutSeconds = timeoutSeconds;
    }

    public string StartAt { get; }

    public IReadOnlyDictionary<string, State> States { get; }

    public string? Comment { get; }

    /// <summary>The top-level execution timeout; the execution ends TIMED_OUT when it runs longer.</summary>
    public int? TimeoutSeconds { get; }

    /// <summary>Parses and validates ASL JSON; throws <see cref="StatesLanguageDefinitionException"/> listing every problem found.</summary>
    public static StateMachineDefinition Parse(string json) => DefinitionParser.Parse(json);

    public static StateMachineDefinition Parse(JsonNode json) => DefinitionParser.Parse(json);
}
