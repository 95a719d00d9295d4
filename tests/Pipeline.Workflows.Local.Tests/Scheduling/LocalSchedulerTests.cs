using Microsoft.Extensions.Time.Testing;
using Pipeline.Domain.Scheduling;
using Pipeline.Workflows.Local.Scheduling;

namespace Pipeline.Workflows.Local.Tests.Scheduling;

public sealed class LocalSchedulerTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 2, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Run_StartsTheTargetAtEachDueTime_AndNotBefore()
    {
        var clock = new FakeTimeProvider(Start);
        var runs = new List<(DateTimeOffset Due, DateTimeOffset At)>();
        var ran = new SemaphoreSlim(0);
        var scheduled = new List<DateTimeOffset>();
        var scheduler = new LocalScheduler(ScheduleExpression.Parse("cron(0 3 * * ? *)", Start), (due, _) =>
        {
            runs.Add((due, clock.GetUtcNow()));
            ran.Release();
            return Task.CompletedTask;
        }, clock, scheduled.Add);
        using var cts = new CancellationTokenSource();

        var loop = scheduler.RunAsync(cts.Token);
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 3, 0, 0, TimeSpan.Zero), scheduler.NextRun);
        clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Empty(runs);
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True(await ran.WaitAsync(TimeSpan.FromSeconds(10)));
        clock.Advance(TimeSpan.FromDays(1));
        Assert.True(await ran.WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Equal([Start.AddHours(1), Start.AddHours(1).AddDays(1)], runs.Select(r => r.Due));
        Assert.All(runs, r => Assert.Equal(r.Due, r.At));
        Assert.Equal(Start.AddHours(1).AddDays(2), scheduler.NextRun);
        Assert.Equal(3, scheduled.Count);
        cts.Cancel();
        await loop;
    }

    [Fact]
    public async Task Run_WhenATargetRunFails_ReportsItAndKeepsTheSchedule()
    {
        var clock = new FakeTimeProvider(Start);
        var failures = new List<(DateTimeOffset, Exception)>();
        var attempts = new SemaphoreSlim(0);
        var scheduler = new LocalScheduler(ScheduleExpression.Parse("rate(1 hour)", Start), (_, _) =>
        {
            attempts.Release();
            throw new InvalidOperationException("training failed");
        }, clock, onRunFailed: (due, e) => failures.Add((due, e)));
        using var cts = new CancellationTokenSource();

        var loop = scheduler.RunAsync(cts.Token);
        clock.Advance(TimeSpan.FromHours(1));
        Assert.True(await attempts.WaitAsync(TimeSpan.FromSeconds(10)));
        await WaitUntil(() => scheduler.NextRun == Start.AddHours(2));
        clock.Advance(TimeSpan.FromHours(1));
        Assert.True(await attempts.WaitAsync(TimeSpan.FromSeconds(10)));
        await WaitUntil(() => failures.Count == 2);

        Assert.Equal([Start.AddHours(1), Start.AddHours(2)], failures.Select(f => f.Item1));
        Assert.All(failures, f => Assert.Equal("training failed", f.Item2.Message));
        cts.Cancel();
        await loop;
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++) await Task.Delay(10);
        Assert.True(condition());
    }
}
