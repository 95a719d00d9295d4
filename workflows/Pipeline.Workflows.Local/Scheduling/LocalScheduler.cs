using Pipeline.Domain.Scheduling;

namespace Pipeline.Workflows.Local.Scheduling;

/// <summary>
/// Fires a scheduled rule on this machine, as EventBridge would: waits (on <see cref="TimeProvider"/>, so tests control
/// time) until the schedule's next time, then runs the target. Runs are sequential: a run still going at the next due
/// time makes that occurrence late, and occurrences missed meanwhile are skipped (EventBridge would start them in
/// parallel). A failing run is reported and does not stop the schedule.
/// </summary>
public sealed class LocalScheduler(
    ISchedule schedule,
    Func<DateTimeOffset, CancellationToken, Task> run,
    TimeProvider time,
    Action<DateTimeOffset>? onScheduled = null,
    Action<DateTimeOffset, Exception>? onRunFailed = null)
{
    private DateTimeOffset? _next;

    /// <summary>When the target runs next (null before the scheduler started, or when the schedule has ended).</summary>
    public DateTimeOffset? NextRun => _next;

    /// <summary>The time the rule fires next after now.</summary>
    public DateTimeOffset? Peek() => schedule.NextAfter(time.GetUtcNow());

    /// <summary>Runs until cancelled or until the schedule has no next time.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var after = time.GetUtcNow();
        while (!cancellationToken.IsCancellationRequested)
        {
            if (schedule.NextAfter(after) is not { } due) return;
            _next = due;
            onScheduled?.Invoke(due);
            try
            {
                // A timer may fire a little early; wait until the clock has really reached the due time.
                for (var now = time.GetUtcNow(); now < due; now = time.GetUtcNow())
                {
                    await Task.Delay(due - now, time, cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            try
            {
                await run(due, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                onRunFailed?.Invoke(due, e);
            }
            // The next occurrence after the later of the due time and the run's end (missed ones are skipped).
            var finished = time.GetUtcNow();
            after = finished > due ? finished : due;
        }
    }
}
