using Microsoft.Extensions.Time.Testing;

namespace Pipeline.StatesLanguage.Tests.Hosting;

/// <summary>
/// Microsoft's FakeTimeProvider, plus knowledge of which timers are pending, so a test can jump straight to the
/// next due time instead of guessing how far to advance.
/// </summary>
public sealed class SteppingClock : TimeProvider
{
    public static readonly DateTimeOffset Epoch = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _fake = new(Epoch);
    private readonly List<TrackedTimer> _timers = [];
    private readonly Lock _lock = new();

    public override DateTimeOffset GetUtcNow() => _fake.GetUtcNow();

    public override long GetTimestamp() => _fake.GetTimestamp();

    public override long TimestampFrequency => _fake.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => _fake.LocalTimeZone;

    public TimeSpan Elapsed => GetUtcNow() - Epoch;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var tracked = new TrackedTimer(this);
        tracked.Inner = _fake.CreateTimer(s =>
        {
            tracked.OnFired();
            callback(s);
        }, state, dueTime, period);
        tracked.OnChanged(dueTime, period);
        lock (_lock)
        {
            _timers.Add(tracked);
        }
        return tracked;
    }

    public DateTimeOffset? NextDueTime()
    {
        lock (_lock)
        {
            return _timers.Where(t => t.DueAt is not null).Select(t => t.DueAt).Min();
        }
    }

    public void AdvanceTo(DateTimeOffset time)
    {
        var delta = time - GetUtcNow();
        if (delta > TimeSpan.Zero)
        {
            _fake.Advance(delta);
        }
        else
        {
            // A timer due now (or overdue): advancing by zero still fires it.
            _fake.Advance(TimeSpan.Zero);
        }
    }

    public void Advance(TimeSpan delta) => _fake.Advance(delta);

    private void Remove(TrackedTimer timer)
    {
        lock (_lock)
        {
            _timers.Remove(timer);
        }
    }

    private sealed class TrackedTimer(SteppingClock clock) : ITimer
    {
        private TimeSpan _period = Timeout.InfiniteTimeSpan;

        public ITimer Inner { get; set; } = null!;

        public DateTimeOffset? DueAt { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            OnChanged(dueTime, period);
            return Inner.Change(dueTime, period);
        }

        public void OnChanged(TimeSpan dueTime, TimeSpan period)
        {
            _period = period;
            DueAt = dueTime == Timeout.InfiniteTimeSpan ? null : clock.GetUtcNow() + dueTime;
        }

        public void OnFired() => DueAt = _period == Timeout.InfiniteTimeSpan || _period == TimeSpan.Zero ? null : clock.GetUtcNow() + _period;

        public void Dispose()
        {
            DueAt = null;
            clock.Remove(this);
            Inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
