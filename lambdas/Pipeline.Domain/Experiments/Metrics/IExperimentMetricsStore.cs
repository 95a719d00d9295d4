namespace Pipeline.Domain.Experiments.Metrics;

/// <summary>
/// Per-user state and per-variant daily sums of an experiment's metrics. Results read only the daily rows
/// (a few per variant per day), never raw events.
/// </summary>
public interface IExperimentMetricsStore
{
    Task<ExperimentUserState?> GetUserAsync(string experimentKey, string userId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Atomically reads the user's state, applies <paramref name="update"/> and, when it returns a change,
    /// stores the new state and adds the delta to the row (experiment, the state's phase, variant, day).
    /// Concurrent updates of the same user are serialized (SQLite: one write transaction; DynamoDB: a
    /// conditional write retried on conflict), so <paramref name="update"/> may run more than once.
    /// A change with an <paramref name="idempotencyKey"/> is applied at most once per experiment, so events
    /// delivered again (queue redelivery, client retries) are not counted twice.
    /// </summary>
    Task UpdateAsync(string experimentKey, string userId, string? idempotencyKey, Func<ExperimentUserState?, MetricsChange?> update,
        CancellationToken cancellationToken = default);

    /// <summary>The daily rows of one phase, ordered by day then variant.</summary>
    Task<IReadOnlyList<VariantDayMetrics>> ListDailyAsync(string experimentKey, int phase, CancellationToken cancellationToken = default);
}
