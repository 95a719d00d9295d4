using System.Text.Json.Nodes;
using Pipeline.StatesLanguage.Definition;
using Pipeline.StatesLanguage.Json;

namespace Pipeline.StatesLanguage.Interpreter;

/// <summary>Runs one state machine, branch or Map iteration from StartAt until a state ends it; failures surface as <see cref="StateFailedException"/>.</summary>
internal sealed partial class BranchInterpreter(ExecutionScope scope)
{
    public async Task<JsonNode?> RunAsync(StateMachineDefinition machine, JsonNode? input, BranchCursor cursor, CancellationToken cancellationToken)
    {
        var name = machine.StartAt;
        var data = input;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var state = machine.States[name];
            var step = await RunStateAsync(state, data, cursor, cancellationToken);
            if (step.Next is null)
            {
                return step.Output;
            }
            name = step.Next;
            data = step.Output;
        }
    }

    private async Task<StateStep> RunStateAsync(State state, JsonNode? input, BranchCursor cursor, CancellationToken cancellationToken)
    {
        var entered = Enter(state, input, cursor);
        try
        {
            return state switch
            {
                PassState pass => RunPass(pass, input, cursor, entered),
                WaitState wait => await RunWaitAsync(wait, input, cursor, entered, cancellationToken),
                ChoiceState choice => RunChoice(choice, input, cursor, entered),
                SucceedState succeed => RunSucceed(succeed, input, cursor, entered),
                FailState fail => RunFail(fail, input, entered),
                TaskState task => await RunResultStateAsync(task, input, cursor, entered,
                    (effectiveInput, retryCount) => RunTaskAttemptAsync(task, effectiveInput, retryCount, cursor, entered, cancellationToken), cancellationToken),
                ParallelState parallel => await RunResultStateAsync(parallel, input, cursor, entered,
                    (effectiveInput, retryCount) => RunParallelAttemptAsync(parallel, effectiveInput, retryCount, cursor, entered, cancellationToken), cancellationToken,
                    "ParallelStateFailed"),
                MapState map => await RunResultStateAsync(map, input, cursor, entered,
                    (effectiveInput, retryCount) => RunMapAttemptAsync(map, effectiveInput, retryCount, cursor, entered, cancellationToken), cancellationToken,
                    "MapStateFailed"),
                _ => throw new StateFailedException(StatesErrors.Runtime, $"The state type '{state.Type}' is not supported."),
            };
        }
        catch (StateFailedException failure) when (failure.Error == StatesErrors.Runtime && !failure.Cause!.StartsWith("An error occurred while executing the state", StringComparison.Ordinal))
        {
            // AWS prefixes runtime errors with the state and the event that entered it.
            throw new StateFailedException(StatesErrors.Runtime,
                $"An error occurred while executing the state '{state.Name}' (entered at the event id #{entered.EventId}). {failure.Cause}");
        }
    }

    private StateStep RunPass(PassState state, JsonNode? rawInput, BranchCursor cursor, EnteredState entered)
    {
        var context = Context(state, entered, 0, null, null);
        var input = DataFlow.SelectPath(state.InputPath, rawInput, context, "InputPath");
        var result = state.Parameters is not null ? DataFlow.EvaluateTemplate(state.Parameters, input, context, scope.Random)
            : state.HasResult ? JsonValues.Clone(state.Result)
            : input;
        var output = DataFlow.ApplyResultPath(state.ResultPath, rawInput, result);
        output = DataFlow.SelectPath(state.OutputPath, output, context, "OutputPath");
        return Exit(state, output, cursor, state.End ? null : state.Next);
    }

    private async Task<StateStep> RunWaitAsync(WaitState state, JsonNode? rawInput, BranchCursor cursor, EnteredState entered, CancellationToken cancellationToken)
    {
        var context = Context(state, entered, 0, null, null);
        var input = DataFlow.SelectPath(state.InputPath, rawInput, context, "InputPath");
        TimeSpan delay;
        if (state.Seconds is { } seconds)
        {
            delay = TimeSpan.FromSeconds((double)seconds);
        }
        else if (state.SecondsPath is { } secondsPath)
        {
            delay = TimeSpan.FromSeconds(NonNegativeInteger(DataFlow.SelectPath(secondsPath, input, context, "SecondsPath"), "SecondsPath", secondsPath));
        }
        else
        {
            var until = state.Timestamp ?? TimestampAt(state.TimestampPath!, input, context);
            delay = until - scope.Clock.Now;
        }
        await scope.Clock.DelayAsync(delay, cancellationToken);
        var output = DataFlow.SelectPath(state.OutputPath, input, context, "OutputPath");
        return Exit(state, output, cursor, state.End ? null : state.Next);
    }

    private DateTimeOffset TimestampAt(string path, JsonNode? input, JsonNode context)
    {
        var value = DataFlow.SelectPath(path, input, context, "TimestampPath");
        return JsonValues.TryGetString(value, out var text) && Timestamps.TryParse(text, out var timestamp)
            ? timestamp
            : throw new StateFailedException(StatesErrors.Runtime, $"The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: {path} == {JsonValues.ToJson(value)}");
    }

    private StateStep RunChoice(ChoiceState state, JsonNode? rawInput, BranchCursor cursor, EnteredState entered)
    {
        var context = Context(state, entered, 0, null, null);
        var input = DataFlow.SelectPath(state.InputPath, rawInput, context, "InputPath");
        var next = state.Choices.FirstOrDefault(rule => ChoiceEvaluator.Matches(rule.Condition, input, context))?.Next
            ?? state.Default
            ?? throw new StateFailedException(StatesErrors.NoChoiceMatched, $"No Choice Rule of the state '{state.Name}' matched the input, and it has no Default: {JsonValues.ToJson(input)}");
        var output = DataFlow.SelectPath(state.OutputPath, input, context, "OutputPath");
        return Exit(state, output, cursor, next);
    }

    private StateStep RunSucceed(SucceedState state, JsonNode? rawInput, BranchCursor cursor, EnteredState entered)
    {
        var context = Context(state, entered, 0, null, null);
        var input = DataFlow.SelectPath(state.InputPath, rawInput, context, "InputPath");
        var output = DataFlow.SelectPath(state.OutputPath, input, context, "OutputPath");
        return Exit(state, output, cursor, null);
    }

    private StateStep RunFail(FailState state, JsonNode? rawInput, EnteredState entered)
    {
        var context = Context(state, entered, 0, null, null);
        var error = state.Error ?? (state.ErrorPath is { } errorPath ? StringAt(errorPath, rawInput, context, "ErrorPath") : "");
        var cause = state.Cause ?? (state.CausePath is { } causePath ? StringAt(causePath, rawInput, context, "CausePath") : null);
        throw new StateFailedException(error, cause);
    }

    private string StringAt(string expression, JsonNode? input, JsonNode context, string field)
    {
        var value = DataFlow.EvaluateExpression(expression, input, context, scope.Random, field);
        return JsonValues.TryGetString(value, out var text)
            ? text
            : throw new StateFailedException(StatesErrors.Runtime, $"The value of {field} '{expression}' is not a string: {JsonValues.ToJson(value)}");
    }

    private static long NonNegativeInteger(JsonNode? value, string field, string path) =>
        JsonValues.TryGetInteger(value, out var number) && number >= 0
            ? number
            : throw new StateFailedException(StatesErrors.Runtime, $"The {field} '{path}' must select a non-negative integer, not {JsonValues.ToJson(value)}.");

    private EnteredState Enter(State state, JsonNode? input, BranchCursor cursor)
    {
        var id = Record(cursor, $"{state.Type}StateEntered", "stateEnteredEventDetails", new JsonObject
        {
            ["name"] = state.Name,
            ["input"] = JsonValues.ToJson(input),
            ["inputDetails"] = new JsonObject { ["truncated"] = false },
        });
        return new EnteredState(id, scope.Clock.Now);
    }

    private StateStep Exit(State state, JsonNode? output, BranchCursor cursor, string? next)
    {
        Record(cursor, $"{state.Type}StateExited", "stateExitedEventDetails", new JsonObject
        {
            ["name"] = state.Name,
            ["output"] = JsonValues.ToJson(output),
            ["outputDetails"] = new JsonObject { ["truncated"] = false },
        });
        return new StateStep(output, next);
    }

    private long Record(BranchCursor cursor, string type, string? detailsName = null, JsonObject? details = null)
    {
        var id = scope.History.Add(cursor.LastEventId, type, detailsName, details);
        cursor.LastEventId = id;
        return id;
    }

    private JsonObject Context(State state, EnteredState entered, int retryCount, MapItem? item, string? taskToken) =>
        ContextObject.Build(scope, state.Name, entered.Time, retryCount, item, taskToken);
}

/// <summary>Where a branch is in the history: the id of its latest event, the previousEventId of its next one.</summary>
internal sealed class BranchCursor(long lastEventId)
{
    public long LastEventId { get; set; } = lastEventId;
}

internal readonly record struct StateStep(JsonNode? Output, string? Next);

internal readonly record struct EnteredState(long EventId, DateTimeOffset Time);
