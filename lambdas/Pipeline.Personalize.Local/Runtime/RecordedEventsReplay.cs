using Pipeline.Domain.Events;
using Pipeline.Domain.Recommendations;
using Pipeline.Engine.Datasets;
using Pipeline.Personalize.Local.Storage;

namespace Pipeline.Personalize.Local.Runtime;

/// <summary>
/// After a restart, a campaign's model is read back from its artifact without the events PutEvents handed it live.
/// PutEvents also appended them to the group's interactions data, so the rows newer than the model's training
/// (<see cref="IRealtimeEvents.LearnedThrough"/>; the data's timestamps are whole seconds, as the model's) are
/// recorded again, oldest first. PutEvents keeps no event id in the dataset, so a resent event is a second row,
/// as it is in the data the next training reads.
/// </summary>
public static class RecordedEventsReplay
{
    /// <summary>Returns how many rows were replayed.</summary>
    public static int Replay(IRealtimeEvents learner, string interactionsFile, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(interactionsFile)) return 0;
        var data = DatasetData.Read(interactionsFile, path => InteractionsCsv.Read(path, cancellationToken));
        var since = learner.LearnedThrough == DateTimeOffset.MinValue ? long.MinValue : learner.LearnedThrough.ToUnixTimeSeconds();
        var timestamps = data.Timestamps;
        var rows = new List<int>();
        for (var row = 0; row < data.Count; row++)
            if (timestamps[row] > since) rows.Add(row);
        // Stable on ties: rows of one second keep the order PutEvents appended them in.
        var ordered = rows.OrderBy(row => data.Timestamps[row]).ThenBy(row => row);
        foreach (var row in ordered)
        {
            learner.Record(new InteractionEvent(
                $"row-{row}",
                data.UserIds[data.UserIndex[row]],
                data.ItemIds[data.ItemIndex[row]],
                data.EventTypes[data.EventTypeCodes[row]],
                float.IsNaN(data.EventValues[row]) ? null : data.EventValues[row],
                "",
                null,
                DateTimeOffset.FromUnixTimeSeconds(data.Timestamps[row])));
        }
        return rows.Count;
    }
}
