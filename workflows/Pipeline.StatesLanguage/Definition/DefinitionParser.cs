using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.StatesLanguage.Intrinsics;
using Pipeline.StatesLanguage.Json;

namespace Pipeline.StatesLanguage.Definition;

/// <summary>Reads ASL JSON into the model, collecting every problem (with the state and field it concerns) before failing.</summary>
internal sealed partial class DefinitionParser
{
    private static readonly HashSet<string> CommonFields = ["Type", "Comment", "Next", "End", "InputPath", "OutputPath"];

    private readonly List<string> _problems = [];

    public static StateMachineDefinition Parse(string json)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            throw new StatesLanguageDefinitionException([$"The definition is not valid JSON: {e.Message}"]);
        }
        return Parse(node ?? throw new StatesLanguageDefinitionException(["The definition is JSON null."]));
    }

    public static StateMachineDefinition Parse(JsonNode json)
    {
        var parser = new DefinitionParser();
        var definition = parser.ParseMachine(json, "The state machine");
        if (parser._problems.Count > 0)
        {
            throw new StatesLanguageDefinitionException(parser._problems);
        }
        return definition!;
    }

    private StateMachineDefinition? ParseMachine(JsonNode? json, string where)
    {
        if (json is not JsonObject obj)
        {
            Problem($"{where} must be a JSON object.");
            return null;
        }
        if (obj["QueryLanguage"] is { } language && language.ToString() != "JSONPath")
        {
            Problem($"{where}: QueryLanguage '{language}' is not supported; only JSONPath is.");
        }
        var startAt = OptionalString(obj, "StartAt", where);
        if (startAt is null)
        {
            Problem($"{where} has no 'StartAt' field.");
        }
        var states = new Dictionary<string, State>(StringComparer.Ordinal);
        if (obj["States"] is not JsonObject statesJson || statesJson.Count == 0)
        {
            Problem($"{where} has no 'States' object with at least one state.");
        }
        else
        {
            foreach (var (name, stateJson) in statesJson)
            {
                if (name.Length > 80)
                {
                    Problem($"State '{name}' ({where}): the name is longer than 80 characters.");
                }
                if (ParseState(name, stateJson, where) is { } state)
                {
                    states[name] = state;
                }
            }
        }
        if (startAt is not null && states.Count > 0 && !states.ContainsKey(startAt) && obj["States"] is JsonObject all && !all.ContainsKey(startAt))
        {
            Problem($"{where}: 'StartAt' names '{startAt}', which is not one of its states.");
        }
        var known = obj["States"] as JsonObject;
        foreach (var state in states.Values)
        {
            CheckTransitions(state, known, where);
        }
        var timeout = OptionalPositiveInt(obj, "TimeoutSeconds", where);
        return new StateMachineDefinition(startAt ?? "", states, OptionalString(obj, "Comment", where), timeout);
    }

    private State? ParseState(string name, JsonNode? json, string machine)
    {
        var where = machine == "The state machine" ? $"State '{name}'" : $"State '{name}' ({machine})";
        if (json is not JsonObject obj)
        {
            Problem($"{where} must be a JSON object.");
            return null;
        }
        var type = OptionalString(obj, "Type", where);
        State? state = type switch
        {
            null => MissingType(where),
            "Pass" => ParsePass(name, obj, where),
            "Task" => ParseTask(name, obj, where),
            "Choice" => ParseChoice(name, obj, where),
            "Wait" => ParseWait(name, obj, where),
            "Succeed" => new SucceedState { Name = name },
            "Fail" => ParseFail(name, obj, where),
            "Parallel" => ParseParallel(name, obj, where),
            "Map" => ParseMap(name, obj, where),
            _ => Unknown(where, type),
        };
        if (state is null)
        {
            return null;
        }
        CheckFields(obj, where, type!);
        return ApplyCommon(state, obj, where);
    }

    private State? MissingType(string where)
    {
        Problem($"{where} has no 'Type' field.");
        return null;
    }

    private State? Unknown(string where, string type)
    {
        Problem($"{where}: 'Type' is '{type}', which is not one of Pass, Task, Choice, Wait, Succeed, Fail, Parallel, Map.");
        return null;
    }

    private State ApplyCommon(State state, JsonObject obj, string where)
    {
        var next = OptionalString(obj, "Next", where);
        var end = obj["End"] is { } endJson && endJson.GetValueKind() == JsonValueKind.True;
        var terminal = state is SucceedState or FailState;
        if (terminal || state is ChoiceState)
        {
            if (next is not null || obj.ContainsKey("End"))
            {
                Problem($"{where}: a {state.Type} state must not have 'Next' or 'End'.");
            }
        }
        else if (next is null && !end)
        {
            Problem($"{where} has neither 'Next' nor 'End': true.");
        }
        else if (next is not null && end)
        {
            Problem($"{where} has both 'Next' and 'End'; it must have exactly one.");
        }
        state.Next = next;
        state.End = end;
        state.Comment = OptionalString(obj, "Comment", where);
        state.InputPath = state is FailState ? "$" : OptionalPath(obj, "InputPath", where);
        state.OutputPath = state is FailState ? "$" : OptionalPath(obj, "OutputPath", where);
        return state;
    }

    private void CheckTransitions(State state, JsonObject? known, string where)
    {
        var location = where == "The state machine" ? $"State '{state.Name}'" : $"State '{state.Name}' ({where})";
        foreach (var (field, target) in Transitions(state))
        {
            if (known?.ContainsKey(target) != true)
            {
                Problem($"{location}: '{field}' names '{target}', which is not a state in the same state machine or branch.");
            }
        }
    }

    /// <summary>Every state a state can go to, with the field that names it.</summary>
    private static IEnumerable<(string Field, string Target)> Transitions(State state)
    {
        if (state.Next is { } next)
        {
            yield return ("Next", next);
        }
        if (state is ChoiceState choice)
        {
            foreach (var (rule, index) in choice.Choices.Select((rule, index) => (rule, index)))
            {
                yield return ($"Choices[{index}].Next", rule.Next);
            }
            if (choice.Default is { } fallback)
            {
                yield return ("Default", fallback);
            }
        }
        if (state is ResultState recoverable)
        {
            foreach (var (catcher, index) in recoverable.Catch.Select((catcher, index) => (catcher, index)))
            {
                yield return ($"Catch[{index}].Next", catcher.Next);
            }
        }
    }

    // Valid ASL the local interpreter does not run: refused loudly rather than silently ignored.
    private static readonly Dictionary<string, string> Unsupported = new(StringComparer.Ordinal)
    {
        ["Assign"] = "workflow variables ('Assign') are not supported by the local interpreter",
        ["ItemReader"] = "'ItemReader' (distributed Map) is not supported by the local interpreter",
        ["ItemBatcher"] = "'ItemBatcher' (distributed Map) is not supported by the local interpreter",
        ["ResultWriter"] = "'ResultWriter' (distributed Map) is not supported by the local interpreter",
        ["Arguments"] = "'Arguments' (JSONata) is not supported by the local interpreter",
        ["Output"] = "'Output' (JSONata) is not supported by the local interpreter",
    };

    private void CheckFields(JsonObject obj, string where, string type)
    {
        var allowed = AllowedFields(type);
        foreach (var (field, _) in obj)
        {
            if (Unsupported.TryGetValue(field, out var reason))
            {
                Problem($"{where}: {reason}.");
            }
            else if (!CommonFields.Contains(field) && !allowed.Contains(field))
            {
                Problem($"{where}: the field '{field}' is not valid in a {type} state.");
            }
        }
    }

    private static HashSet<string> AllowedFields(string type) => type switch
    {
        "Pass" => ["Result", "ResultPath", "Parameters"],
        "Task" => ["Resource", "Parameters", "ResultSelector", "ResultPath", "Retry", "Catch", "TimeoutSeconds", "TimeoutSecondsPath", "HeartbeatSeconds", "HeartbeatSecondsPath", "Credentials"],
        "Choice" => ["Choices", "Default"],
        "Wait" => ["Seconds", "SecondsPath", "Timestamp", "TimestampPath"],
        "Succeed" => [],
        "Fail" => ["Error", "ErrorPath", "Cause", "CausePath"],
        "Parallel" => ["Branches", "Parameters", "ResultSelector", "ResultPath", "Retry", "Catch"],
        "Map" => ["Iterator", "ItemProcessor", "ItemsPath", "ItemSelector", "Parameters", "MaxConcurrency", "MaxConcurrencyPath", "ResultSelector", "ResultPath", "Retry", "Catch", "Label", "ToleratedFailurePercentage", "ToleratedFailureCount"],
        _ => [],
    };

    private PassState ParsePass(string name, JsonObject obj, string where) => new()
    {
        Name = name,
        HasResult = obj.ContainsKey("Result"),
        Result = JsonValues.Clone(obj["Result"]),
        Parameters = PayloadTemplate(obj, "Parameters", where),
        ResultPath = OptionalPath(obj, "ResultPath", where, referencePath: true),
    };

    private TaskState ParseTask(string name, JsonObject obj, string where)
    {
        var resource = OptionalString(obj, "Resource", where);
        if (resource is null)
        {
            Problem($"{where} has no 'Resource' field.");
        }
        var state = new TaskState
        {
            Name = name,
            Resource = resource ?? "",
            Parameters = PayloadTemplate(obj, "Parameters", where),
            ResultSelector = PayloadTemplate(obj, "ResultSelector", where),
            ResultPath = OptionalPath(obj, "ResultPath", where, referencePath: true),
            Retry = ParseRetry(obj, where),
            Catch = ParseCatch(obj, where),
            TimeoutSeconds = OptionalPositiveInt(obj, "TimeoutSeconds", where),
            TimeoutSecondsPath = OptionalReferencePath(obj, "TimeoutSecondsPath", where),
            HeartbeatSeconds = OptionalPositiveInt(obj, "HeartbeatSeconds", where),
            HeartbeatSecondsPath = OptionalReferencePath(obj, "HeartbeatSecondsPath", where),
        };
        if (state.TimeoutSeconds is not null && state.TimeoutSecondsPath is not null)
        {
            Problem($"{where} has both 'TimeoutSeconds' and 'TimeoutSecondsPath'; it may have one.");
        }
        if (state.HeartbeatSeconds is not null && state.HeartbeatSecondsPath is not null)
        {
            Problem($"{where} has both 'HeartbeatSeconds' and 'HeartbeatSecondsPath'; it may have one.");
        }
        if (state is { HeartbeatSeconds: { } heartbeat, TimeoutSeconds: { } timeout } && heartbeat >= timeout)
        {
            Problem($"{where}: 'HeartbeatSeconds' must be smaller than 'TimeoutSeconds'.");
        }
        return state;
    }

    private WaitState ParseWait(string name, JsonObject obj, string where)
    {
        var given = new[] { "Seconds", "SecondsPath", "Timestamp", "TimestampPath" }.Where(obj.ContainsKey).ToList();
        if (given.Count != 1)
        {
            Problem($"{where} must have exactly one of 'Seconds', 'SecondsPath', 'Timestamp', 'TimestampPath' (it has {(given.Count == 0 ? "none" : string.Join(", ", given))}).");
        }
        decimal? seconds = null;
        if (obj["Seconds"] is { } secondsJson)
        {
            if (!JsonValues.TryGetNumber(secondsJson, out var value) || value < 0)
            {
                Problem($"{where}: 'Seconds' must be a non-negative number.");
            }
            seconds = value;
        }
        DateTimeOffset? timestamp = null;
        if (obj.ContainsKey("Timestamp"))
        {
            if (!JsonValues.TryGetString(obj["Timestamp"], out var text) || !Timestamps.TryParse(text, out var parsed))
            {
                Problem($"{where}: 'Timestamp' must be an RFC 3339 timestamp such as 2016-03-14T01:59:00Z.");
            }
            else
            {
                timestamp = parsed;
            }
        }
        return new WaitState
        {
            Name = name,
            Seconds = seconds,
            SecondsPath = OptionalReferencePath(obj, "SecondsPath", where),
            Timestamp = timestamp,
            TimestampPath = OptionalReferencePath(obj, "TimestampPath", where),
        };
    }

    private FailState ParseFail(string name, JsonObject obj, string where)
    {
        if (obj.ContainsKey("Error") && obj.ContainsKey("ErrorPath"))
        {
            Problem($"{where} has both 'Error' and 'ErrorPath'; it may have one.");
        }
        if (obj.ContainsKey("Cause") && obj.ContainsKey("CausePath"))
        {
            Problem($"{where} has both 'Cause' and 'CausePath'; it may have one.");
        }
        return new FailState
        {
            Name = name,
            Error = OptionalString(obj, "Error", where),
            ErrorPath = OptionalPathOrIntrinsic(obj, "ErrorPath", where),
            Cause = OptionalString(obj, "Cause", where),
            CausePath = OptionalPathOrIntrinsic(obj, "CausePath", where),
        };
    }

    private ParallelState ParseParallel(string name, JsonObject obj, string where)
    {
        var branches = new List<StateMachineDefinition>();
        if (obj["Branches"] is not JsonArray branchesJson || branchesJson.Count == 0)
        {
            Problem($"{where} has no 'Branches' array with at least one branch.");
        }
        else
        {
            for (var i = 0; i < branchesJson.Count; i++)
            {
                if (ParseMachine(branchesJson[i], $"branch {i} of '{name}'") is { } branch)
                {
                    branches.Add(branch);
                }
            }
        }
        return new ParallelState
        {
            Name = name,
            Branches = branches,
            Parameters = PayloadTemplate(obj, "Parameters", where),
            ResultSelector = PayloadTemplate(obj, "ResultSelector", where),
            ResultPath = OptionalPath(obj, "ResultPath", where, referencePath: true),
            Retry = ParseRetry(obj, where),
            Catch = ParseCatch(obj, where),
        };
    }

    private MapState ParseMap(string name, JsonObject obj, string where)
    {
        var processorJson = obj["ItemProcessor"] ?? obj["Iterator"];
        if (processorJson is null)
        {
            Problem($"{where} has no 'ItemProcessor' (or 'Iterator').");
        }
        if (obj.ContainsKey("ItemSelector") && obj.ContainsKey("Parameters"))
        {
            Problem($"{where} has both 'ItemSelector' and 'Parameters'; 'Parameters' is the older name of 'ItemSelector'.");
        }
        var processor = processorJson is null ? null : ParseMachine(processorJson, $"item processor of '{name}'");
        var maxConcurrency = 0;
        if (obj["MaxConcurrency"] is { } max)
        {
            if (!JsonValues.TryGetInteger(max, out var value) || value < 0)
            {
                Problem($"{where}: 'MaxConcurrency' must be a non-negative integer.");
            }
            maxConcurrency = (int)value;
        }
        return new MapState
        {
            Name = name,
            ItemProcessor = processor ?? new StateMachineDefinition("", new Dictionary<string, State>(), null, null),
            ItemsPath = OptionalPath(obj, "ItemsPath", where, referencePath: true),
            Parameters = PayloadTemplate(obj, "ItemSelector", where) ?? PayloadTemplate(obj, "Parameters", where),
            MaxConcurrency = maxConcurrency,
            MaxConcurrencyPath = OptionalReferencePath(obj, "MaxConcurrencyPath", where),
            ResultSelector = PayloadTemplate(obj, "ResultSelector", where),
            ResultPath = OptionalPath(obj, "ResultPath", where, referencePath: true),
            Retry = ParseRetry(obj, where),
            Catch = ParseCatch(obj, where),
        };
    }

    /// <summary>A payload template (Parameters, ResultSelector, ItemSelector): every `key.$` must hold a valid path or intrinsic call.</summary>
    private JsonNode? PayloadTemplate(JsonObject obj, string field, string where)
    {
        if (obj[field] is not { } template)
        {
            return null;
        }
        if (field != "Parameters" && template is not JsonObject)
        {
            Problem($"{where}: '{field}' must be a JSON object.");
        }
        CheckTemplate(template, $"{where}: '{field}'");
        return template.DeepClone();
    }

    private void CheckTemplate(JsonNode? template, string where)
    {
        switch (template)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    if (key.EndsWith(".$", StringComparison.Ordinal))
                    {
                        if (!JsonValues.TryGetString(value, out var expression))
                        {
                            Problem($"{where}: the value of '{key}' must be a string holding a path or an intrinsic function.");
                        }
                        else
                        {
                            CheckPathOrIntrinsic(expression, $"{where}: '{key}'");
                        }
                    }
                    else
                    {
                        CheckTemplate(value, where);
                    }
                }
                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    CheckTemplate(item, where);
                }
                break;
        }
    }

    private void CheckPathOrIntrinsic(string expression, string where)
    {
        try
        {
            if (IntrinsicParser.LooksLikeCall(expression))
            {
                IntrinsicParser.Parse(expression);
            }
            else
            {
                JsonPath.Parse(expression);
            }
        }
        catch (FormatException e)
        {
            Problem($"{where}: {e.Message}");
        }
    }

    private string? OptionalString(JsonObject obj, string field, string where)
    {
        if (!obj.TryGetPropertyValue(field, out var value) || value is null)
        {
            return null;
        }
        if (!JsonValues.TryGetString(value, out var text))
        {
            Problem($"{where}: '{field}' must be a string.");
            return null;
        }
        return text;
    }

    /// <summary>InputPath, OutputPath, ResultPath, ItemsPath: omitted is "$", JSON null stays null.</summary>
    private string? OptionalPath(JsonObject obj, string field, string where, bool referencePath = false)
    {
        if (!obj.TryGetPropertyValue(field, out var value))
        {
            return "$";
        }
        if (value is null)
        {
            return null;
        }
        if (!JsonValues.TryGetString(value, out var text))
        {
            Problem($"{where}: '{field}' must be a path string or null.");
            return "$";
        }
        CheckPath(text, field, where, referencePath);
        return text;
    }

    private string? OptionalReferencePath(JsonObject obj, string field, string where)
    {
        var text = OptionalString(obj, field, where);
        if (text is not null)
        {
            CheckPath(text, field, where, referencePath: true);
        }
        return text;
    }

    private string? OptionalPathOrIntrinsic(JsonObject obj, string field, string where)
    {
        var text = OptionalString(obj, field, where);
        if (text is not null)
        {
            CheckPathOrIntrinsic(text, $"{where}: '{field}'");
        }
        return text;
    }

    private void CheckPath(string text, string field, string where, bool referencePath)
    {
        if (!JsonPath.TryParse(text, out var path))
        {
            Problem($"{where}: '{field}' is not a valid path: '{text}'.");
        }
        else if (referencePath && !path!.IsReferencePath)
        {
            Problem($"{where}: '{field}' must be a reference path (only field and index steps): '{text}'.");
        }
    }

    private int? OptionalPositiveInt(JsonObject obj, string field, string where)
    {
        if (obj[field] is not { } value)
        {
            return null;
        }
        if (!JsonValues.TryGetInteger(value, out var number) || number <= 0 || number > int.MaxValue)
        {
            Problem($"{where}: '{field}' must be a positive integer.");
            return null;
        }
        return (int)number;
    }

    private void Problem(string problem) => _problems.Add(problem);
}
