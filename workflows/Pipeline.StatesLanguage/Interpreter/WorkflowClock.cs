namespace Pipeline.StatesLanguage.Interpreter;

/// <summary>Turns the workflow's logical durations into real waits on the injected clock, scaled by WaitScale.</summary>
internal sealed class WorkflowClock(TimeProvider time, double waitScale)
{
    public TimeProvider Time { get; } = time;

    public DateTimeOffset Now => Time.GetUtcNow();

    public TimeSpan Scale(TimeSpan logical) => logical <= TimeSpan.Zero ? TimeSpan.Zero : TimeSpan.FromTicks((long)(logical.Ticks * waitScale));

    public Task DelayAsync(TimeSpan logical, CancellationToken cancellationToken) =>
        logical <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(Scale(logical), Time, cancellationToken);

    /// <summary>A token that is cancelled once the logical duration has passed.</summary>
    public CancellationTokenSource CancelAfter(TimeSpan logical) => new(Scale(logical), Time);
}
