namespace Pipeline.Domain.Recommendations;

/// <summary>
/// One model call inside its share of the latency budget, as <see cref="FallbackChain"/> and
/// <see cref="Ranking.RankingChain"/> make it: the model's list, or the served_by reason the next model is tried for.
/// Only the caller's own cancellation escapes, so a model failure is never a 5xx.
/// </summary>
internal static class BudgetedModelCall
{
    public static async Task<(IReadOnlyList<T>? Items, string? Failure)> TryAsync<T>(
        Func<ValueTask<IReadOnlyList<T>>> call, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            var pending = call();
            // A completed call (the in-process engine) skips the timer entirely.
            return pending.IsCompletedSuccessfully
                ? (pending.Result, null)
                : (await pending.AsTask().WaitAsync(timeout, time, cancellationToken), null);
        }
        catch (TimeoutException)
        {
            return (null, ServedBy.Timeout);
        }
        catch (ModelUnavailableException e) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, e.Reason);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, ServedBy.ModelError);
        }
    }
}
