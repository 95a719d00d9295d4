using Pipeline.Domain.Recommendations;

namespace Pipeline.Api.Filters;

/// <summary>
/// What one filtered request may spend on over-fetching, across every link of the fallback chain: the serving
/// budget's wall time from when the request was bound, and a number of candidates scored and looked up. A filter
/// that keeps (almost) nothing would otherwise escalate to <see cref="Engine.Filters.OverFetch.MaxCandidates"/>
/// on each link, and a link the chain gave up on keeps computing in the background: the work, not just the answer,
/// has to stop. Links may run at the same time, hence the interlocked counter. Large rounds also need one of the
/// process's <see cref="FilterEscalationSlots"/>, so hostile filters together hold a bounded share of the cores.
/// </summary>
public sealed class FilterBudget(TimeProvider time, TimeSpan wallTime, int maxCandidates, FilterEscalationSlots slots)
{
    /// <summary>Candidates one request may examine: the whole escalation once (300 + 1,200 + 4,800 + 10,000 for 100 results) and a little.</summary>
    public const int DefaultMaxCandidates = 20_000;

    private readonly long _started = time.GetTimestamp();
    private int _candidatesLeft = maxCandidates;
    private volatile bool _spent;

    public static FilterBudget For(ServingOptions options, TimeProvider time, FilterEscalationSlots slots) =>
        new(time, TimeSpan.FromMilliseconds(options.BudgetMilliseconds), DefaultMaxCandidates, slots);

    /// <summary>True once the filter stopped short of what it would have fetched: the answer may have fewer items than asked.</summary>
    public bool Spent => _spent;

    public bool TimeIsUp => time.GetElapsedTime(_started) >= wallTime;

    /// <summary>
    /// Starts a round of <paramref name="candidates"/> more, or marks the budget spent and answers null. A link's first
    /// round goes ahead even when the time is up, as the fallback chain lets an in-process fallback answer. A round of
    /// more than <see cref="FreeRoundCandidates"/> also needs an escalation slot, waited for until the budget's time is
    /// up and held until the returned round is disposed.
    /// </summary>
    public async ValueTask<IDisposable?> TryStartRoundAsync(int candidates, bool firstRound, CancellationToken cancellationToken)
    {
        if (!firstRound && TimeIsUp)
        {
            _spent = true;
            return null;
        }
        if (Interlocked.Add(ref _candidatesLeft, -candidates) < 0)
        {
            Interlocked.Add(ref _candidatesLeft, candidates);
            _spent = true;
            return null;
        }
        if (candidates <= FreeRoundCandidates)
        {
            return NoSlot;
        }
        if (await slots.EnterAsync(wallTime - time.GetElapsedTime(_started), time, cancellationToken) is { } slot)
        {
            return slot;
        }
        _spent = true;
        return null;
    }

    /// <summary>Candidates a round may take without a slot: the first round of up to 33 results (3 times as many).</summary>
    public const int FreeRoundCandidates = 100;

    private static readonly IDisposable NoSlot = new SmallRound();

    private sealed class SmallRound : IDisposable
    {
        public void Dispose()
        {
        }
    }

    /// <summary>Checked while looking candidates up: when the time is up the rest is left unexamined.</summary>
    public bool StopNow()
    {
        if (!TimeIsUp)
        {
            return false;
        }
        _spent = true;
        return true;
    }
}
