using System.Text.Json.Nodes;
using Pipeline.StatesLanguage.Definition;

namespace Pipeline.StatesLanguage.Interpreter;

internal sealed partial class BranchInterpreter
{
    /// <summary>
    /// The shape Task, Parallel and Map share: InputPath, then attempts under Retry, then ResultSelector, ResultPath and
    /// OutputPath; an error no retrier absorbs goes to the first matching Catcher, with {Error, Cause} at its ResultPath.
    /// <paramref name="failedEvent"/> (ParallelStateFailed, MapStateFailed) is recorded once, when no retrier absorbs the
    /// error: attempts that are retried show only their Started event, as on Step Functions (and moto's executor).
    /// </summary>
    private async Task<StateStep> RunResultStateAsync(
        ResultState state,
        JsonNode? rawInput,
        BranchCursor cursor,
        EnteredState entered,
        Func<JsonNode?, int, Task<JsonNode?>> attempt,
        CancellationToken cancellationToken,
        string? failedEvent = null)
    {
        try
        {
            var context = Context(state, entered, 0, null, null);
            var input = DataFlow.SelectPath(state.InputPath, rawInput, context, "InputPath");
            JsonNode? result;
            try
            {
                result = await WithRetryAsync(state.Retry, retryCount => attempt(input, retryCount), cancellationToken);
            }
            catch (StateFailedException) when (failedEvent is not null && !cancellationToken.IsCancellationRequested)
            {
                Record(cursor, failedEvent);
                throw;
            }
            if (state.ResultSelector is not null)
            {
                result = DataFlow.EvaluateTemplate(state.ResultSelector, result, context, scope.Random);
            }
            var output = DataFlow.ApplyResultPath(state.ResultPath, rawInput, result);
            output = DataFlow.SelectPath(state.OutputPath, output, context, "OutputPath");
            return Exit(state, output, cursor, state.End ? null : state.Next);
        }
        catch (StateFailedException failure) when (!cancellationToken.IsCancellationRequested && FindCatcher(state.Catch, failure.Error) is { } catcher)
        {
            var errorOutput = new JsonObject { ["Error"] = failure.Error };
            if (failure.Cause is not null)
            {
                errorOutput["Cause"] = failure.Cause;
            }
            var output = DataFlow.ApplyResultPath(catcher.ResultPath, rawInput, errorOutput);
            return Exit(state, output, cursor, catcher.Next);
        }
    }

    private async Task<JsonNode?> WithRetryAsync(IReadOnlyList<Retrier> retriers, Func<int, Task<JsonNode?>> attempt, CancellationToken cancellationToken)
    {
        // Each retrier counts its own attempts; the first retrier whose ErrorEquals matches decides, even when exhausted.
        var attemptsPerRetrier = new int[retriers.Count];
        var retryCount = 0;
        while (true)
        {
            try
            {
                return await attempt(retryCount);
            }
            catch (StateFailedException failure) when (!cancellationToken.IsCancellationRequested
                && FindRetrier(retriers, failure.Error) is var index && index >= 0
                && attemptsPerRetrier[index] < retriers[index].MaxAttempts)
            {
                var delay = RetryBackoff.Delay(retriers[index], attemptsPerRetrier[index], scope.Random);
                attemptsPerRetrier[index]++;
                retryCount++;
                await scope.Clock.DelayAsync(delay, cancellationToken);
            }
        }
    }

    private static int FindRetrier(IReadOnlyList<Retrier> retriers, string error)
    {
        for (var i = 0; i < retriers.Count; i++)
        {
            if (retriers[i].ErrorEquals.Any(name => StatesErrors.Matches(name, error)))
            {
                return i;
            }
        }
        return -1;
    }

    private static Catcher? FindCatcher(IReadOnlyList<Catcher> catchers, string error) =>
        catchers.FirstOrDefault(catcher => catcher.ErrorEquals.Any(name => StatesErrors.Matches(name, error)));
}
