using System.Globalization;
using Pipeline.StatesLanguage.Interpreter;
using Pipeline.Workflows.Definitions;
using Pipeline.Workflows.Local;
using Pipeline.Domain.Scheduling;
using Pipeline.Workflows.Local.Scheduling;

namespace Pipeline.Cli.Workflows;

/// <summary>
/// The nightly retraining rule on this machine: the schedule expression and target input of the rule CDK deploys
/// (<see cref="TrainingScheduleDefinition"/>, checked against the synthesized template), fired by a
/// <see cref="LocalScheduler"/> that starts the training workflow through <see cref="LocalWorkflowRunner"/>.
/// </summary>
/// <param name="runAfter">Work a due run waits for first (the first import of `pipeline up`), so runs never overlap it.</param>
public sealed class NightlyRetraining(TrainingScheduleDefinition rule, LocalWorkflowRunner runner, TimeProvider time, TextWriter output, Task? runAfter = null)
{
    /// <summary>
    /// Waits and retries of scheduled runs are compressed 100x (a 300 s training poll becomes 3 s): the local engine
    /// trains in seconds, not the hours Personalize takes.
    /// </summary>
    public const double WaitScale = 0.01;

    private readonly ISchedule _schedule = ScheduleExpression.Parse(rule.ScheduleExpression, time.GetUtcNow());

    public TrainingScheduleDefinition Rule { get; } = rule;

    public DateTimeOffset? NextRun() => _schedule.NextAfter(time.GetUtcNow());

    public static string Format(DateTimeOffset when) => when.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>Fires the rule until cancelled, printing each run's outcome and the next due time.</summary>
    public Task RunAsync(CancellationToken cancellationToken) =>
        new LocalScheduler(_schedule, async (due, ct) =>
        {
            if (runAfter is not null) await runAfter.WaitAsync(ct);
            var execution = await runner.RunAsync(LocalWorkflows.Training, Rule.Input.DeepClone().AsObject(), ct);
            var outcome = execution.Status == ExecutionStatus.Succeeded ? "SUCCEEDED" : $"{LocalExecutionStore.StatusName(execution.Status)}: {execution.Error} {execution.Cause}";
            await output.WriteLineAsync($"Nightly retraining due {Format(due)}: execution {execution.Name} {outcome}");
        }, time,
        onScheduled: due => output.WriteLine($"Nightly retraining ({Rule.ScheduleExpression}, UTC): next run {Format(due)}"),
        onRunFailed: (due, e) => output.WriteLine($"Nightly retraining due {Format(due)} could not run: {e.Message}")).RunAsync(cancellationToken);
}
