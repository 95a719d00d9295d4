using System.Text.Json.Nodes;
using Pipeline.StatesLanguage.Definition;
using Pipeline.StatesLanguage.Json;

namespace Pipeline.StatesLanguage.Interpreter;

internal sealed partial class BranchInterpreter
{
    /// <summary>
    /// Runs the item processor once per item of ItemsPath, at most MaxConcurrency at a time (0: all at once). Each
    /// iteration's input is the item, or ItemSelector evaluated with `$$.Map.Item.Index` and `$$.Map.Item.Value`.
    /// </summary>
    private async Task<JsonNode?> RunMapAttemptAsync(MapState state, JsonNode? input, int retryCount, BranchCursor cursor, EnteredState entered, CancellationToken cancellationToken)
    {
        var context = Context(state, entered, retryCount, null, null);
        var itemsNode = DataFlow.SelectPath(state.ItemsPath ?? "$", input, context, "ItemsPath");
        if (itemsNode is not JsonArray items)
        {
            throw new StateFailedException(StatesErrors.Runtime, $"Map state input must be an array, but ItemsPath '{state.ItemsPath}' selected {JsonValues.ToJson(itemsNode)}.");
        }
        var maxConcurrency = state.MaxConcurrency;
        if (state.MaxConcurrencyPath is { } maxPath)
        {
            var value = DataFlow.SelectPath(maxPath, input, context, "MaxConcurrencyPath");
            maxConcurrency = JsonValues.TryGetInteger(value, out var max) && max >= 0 ? (int)max
                : throw new StateFailedException(StatesErrors.Runtime, $"MaxConcurrencyPath '{maxPath}' must select a non-negative integer, not {JsonValues.ToJson(value)}.");
        }
        var startedId = Record(cursor, "MapStateStarted", "mapStateStartedEventDetails", new JsonObject { ["length"] = items.Count });
        var gate = maxConcurrency > 0 ? new ConcurrencyGate(maxConcurrency) : null;
        using var siblings = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var firstFailure = new FirstFailure();
        var iterations = items
            .Select((item, index) => Concurrency.Start(() => RunIterationAsync(state, input, new MapItem(index, JsonValues.Clone(item)), retryCount, entered, startedId, gate, firstFailure, siblings)))
            .ToList();
        try
        {
            var outputs = await Task.WhenAll(iterations);
            Record(cursor, "MapStateSucceeded");
            return new JsonArray(outputs);
        }
        catch (Exception) when (firstFailure.Value is { } failure && !cancellationToken.IsCancellationRequested)
        {
            // MapStateFailed is recorded by RunResultStateAsync once no retrier takes the error.
            throw new StateFailedException(failure.Error, failure.Cause);
        }
    }

    private async Task<JsonNode?> RunIterationAsync(
        MapState state,
        JsonNode? mapInput,
        MapItem item,
        int retryCount,
        EnteredState entered,
        long startedId,
        ConcurrencyGate? gate,
        FirstFailure firstFailure,
        CancellationTokenSource siblings)
    {
        if (gate is not null)
        {
            await gate.EnterAsync(siblings.Token);
            // An iteration that only gets its turn after another has failed the Map never starts (no MapIterationStarted),
            // as on Step Functions; the gate may have had a free slot without waiting on the cancelled token.
            if (siblings.IsCancellationRequested)
            {
                gate.Leave();
                siblings.Token.ThrowIfCancellationRequested();
            }
        }
        try
        {
            var cursor = new BranchCursor(startedId);
            var iteration = new JsonObject { ["name"] = state.Name, ["index"] = item.Index };
            Record(cursor, "MapIterationStarted", "mapIterationStartedEventDetails", iteration);
            try
            {
                var itemContext = Context(state, entered, retryCount, item, null);
                var itemInput = state.Parameters is null ? JsonValues.Clone(item.Value) : DataFlow.EvaluateTemplate(state.Parameters, mapInput, itemContext, scope.Random);
                var output = await RunAsync(state.ItemProcessor, itemInput, cursor, siblings.Token);
                Record(cursor, "MapIterationSucceeded", "mapIterationSucceededEventDetails", iteration.DeepClone().AsObject());
                return output;
            }
            catch (StateFailedException failure)
            {
                Record(cursor, "MapIterationFailed", "mapIterationFailedEventDetails", iteration.DeepClone().AsObject());
                firstFailure.Offer(failure);
                // Cancel synchronously: CancelAsync would run the callbacks on the thread pool, racing the siblings' own continuations.
                siblings.Cancel();
                throw;
            }
            catch (OperationCanceledException)
            {
                Record(cursor, "MapIterationAborted", "mapIterationAbortedEventDetails", iteration.DeepClone().AsObject());
                throw;
            }
        }
        finally
        {
            gate?.Leave();
        }
    }
}
