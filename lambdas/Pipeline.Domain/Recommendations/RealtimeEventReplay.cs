using Pipeline.Domain.Events;

namespace Pipeline.Domain.Recommendations;

/// <summary>
/// Brings freshly loaded models up to date with the live events stored since their training, so a restart does
/// not forget what users did: each real-time learner records, in arrival order, only the events after its
/// <see cref="IRealtimeEvents.LearnedThrough"/> (earlier ones are in its training data already).
/// </summary>
public sealed class RealtimeEventReplay(IEventReplaySource source)
{
    /// <summary>Replays into every learner of the registry; returns how many stored events were replayed.</summary>
    public async Task<long> ReplayAsync(IModelRegistry models, CancellationToken cancellationToken = default)
    {
        var learners = models.Recipes.Select(models.Find).OfType<IRealtimeEvents>()
            .Select(learner => (Learner: learner, Since: learner.LearnedThrough)).ToArray();
        if (learners.Length == 0) return 0;
        var since = learners.Min(l => l.Since);
        var replayed = 0L;
        // One pass over the store in time order, streamed: memory stays flat whatever the number of events.
        await foreach (var interaction in source.ReadAfterAsync(since, cancellationToken))
        {
            foreach (var (learner, learnedThrough) in learners)
                if (interaction.Timestamp > learnedThrough)
                    learner.Record(interaction);
            replayed++;
        }
        return replayed;
    }
}
