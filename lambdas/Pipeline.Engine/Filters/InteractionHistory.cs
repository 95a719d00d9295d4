using Pipeline.Domain.Events;
using Pipeline.Engine.Datasets;

namespace Pipeline.Engine.Filters;

/// <summary>One past interaction of a user, as Interactions.EVENT_TYPE filters see it.</summary>
public readonly record struct HistoryEvent(string ItemId, string EventType);

/// <summary>A user's past interactions, newest first, for filters on the Interactions dataset.</summary>
public interface IInteractionHistory
{
    IReadOnlyList<HistoryEvent> Of(string userId);
}

/// <summary>
/// Histories from the training dataset, the real-time events, or both. Personalize filters on "the most recent
/// 200 historical and 100 new interaction events" of a user, so those are the default limits.
/// </summary>
public static class InteractionHistory
{
    public const int HistoricalLimit = 200;
    public const int RealTimeLimit = 100;

    public static IInteractionHistory Empty { get; } = new Combined([]);

    public static IInteractionHistory FromDataset(InteractionDataset dataset, int limit = HistoricalLimit) => new FromRows(dataset, limit);

    public static IInteractionHistory FromEvents(IEnumerable<InteractionEvent> events, int limit = RealTimeLimit)
    {
        ArgumentNullException.ThrowIfNull(events);
        var byUser = events
            .GroupBy(e => e.UserId, StringComparer.Ordinal)
            .ToDictionary(
                g => g.Key,
                g => (IReadOnlyList<HistoryEvent>)[.. g.OrderByDescending(e => e.Timestamp).Take(limit).Select(e => new HistoryEvent(e.ItemId, e.EventType))],
                StringComparer.Ordinal);
        return new FromLookup(byUser);
    }

    /// <summary>The histories one after the other (put the real-time one first: it is the newer).</summary>
    public static IInteractionHistory Combine(params IInteractionHistory[] histories) => new Combined(histories);

    private sealed class FromRows(InteractionDataset dataset, int limit) : IInteractionHistory
    {
        private readonly Lazy<UserInteractionIndex> _byUser = new(dataset.GroupByUser);

        public IReadOnlyList<HistoryEvent> Of(string userId)
        {
            var user = dataset.FindUser(userId);
            if (user < 0) return [];
            var rows = _byUser.Value.RowsOf(user);
            var count = Math.Min(limit, rows.Length);
            var events = new HistoryEvent[count];
            for (var i = 0; i < count; i++)
            {
                var row = rows[rows.Length - 1 - i];
                events[i] = new HistoryEvent(dataset.ItemIds[dataset.ItemIndex[row]], dataset.EventTypes[dataset.EventTypeCodes[row]]);
            }
            return events;
        }
    }

    private sealed class FromLookup(Dictionary<string, IReadOnlyList<HistoryEvent>> byUser) : IInteractionHistory
    {
        public IReadOnlyList<HistoryEvent> Of(string userId) => byUser.GetValueOrDefault(userId) ?? [];
    }

    private sealed class Combined(IInteractionHistory[] histories) : IInteractionHistory
    {
        public IReadOnlyList<HistoryEvent> Of(string userId) =>
            histories.Length == 1 ? histories[0].Of(userId) : [.. histories.SelectMany(h => h.Of(userId))];
    }
}
