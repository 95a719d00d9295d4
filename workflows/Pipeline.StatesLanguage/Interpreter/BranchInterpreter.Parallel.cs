using System.Text.Json.Nodes;
using Pipeline.StatesLanguage.Definition;
using Pipeline.StatesLanguage.Json;

namespace Pipeline.StatesLanguage.Interpreter;

internal sealed partial class BranchInterpreter
{
    /// <summary>Runs every branch on the same input; the result is their outputs in branch order. The first failing branch stops the others and its error becomes the Parallel state's.</summary>
    private async Task<JsonNode?> RunParallelAttemptAsync(ParallelState state, JsonNode? input, int retryCount, BranchCursor cursor, EnteredState entered, CancellationToken cancellationToken)
    {
        var context = Context(state, entered, retryCount, null, null);
        var effectiveInput = state.Parameters is null ? input : DataFlow.EvaluateTemplate(state.Parameters, input, context, scope.Random);
        var startedId = Record(cursor, "ParallelStateStarted");
        using var siblings = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var firstFailure = new FirstFailure();
        var branches = state.Branches
            .Select(branch => Concurrency.Start(async () =>
            {
                try
                {
                    return await RunAsync(branch, JsonValues.Clone(effectiveInput), new BranchCursor(startedId), siblings.Token);
                }
                catch (StateFailedException failure)
                {
                    firstFailure.Offer(failure);
                    // Cancel synchronously: CancelAsync would run the callbacks on the thread pool, racing the siblings' own continuations.
                    siblings.Cancel();
                    throw;
                }
            }))
            .ToList();
        try
        {
            var outputs = await Task.WhenAll(branches);
            Record(cursor, "ParallelStateSucceeded");
            return new JsonArray(outputs);
        }
        catch (Exception) when (firstFailure.Value is { } failure && !cancellationToken.IsCancellationRequested)
        {
            // ParallelStateFailed is recorded by RunResultStateAsync once no retrier takes the error.
            throw new StateFailedException(failure.Error, failure.Cause);
        }
    }
}

/// <summary>Keeps the first failure among concurrent branches or iterations.</summary>
internal sealed class FirstFailure
{
    private StateFailedException? _value;

    public StateFailedException? Value => Volatile.Read(ref _value);

    public void Offer(StateFailedException failure) => Interlocked.CompareExchange(ref _value, failure, null);
}
