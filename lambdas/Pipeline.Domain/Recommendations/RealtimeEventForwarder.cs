using Pipeline.Domain.Events;

namespace Pipeline.Domain.Recommendations;

/// <summary>Hands newly stored events to every served model that learns in real time.</summary>
public sealed class RealtimeEventForwarder(IModelRegistry models, ServingOptions options)
{
    public void Forward(IReadOnlyList<InteractionEvent> stored)
    {
        if (stored.Count == 0)
        {
            return;
        }
        foreach (var recipe in models.Recipes)
        {
            if (models.Find(recipe) is IRealtimeEvents learner)
            {
                // Every time: a model published since (a retrained one) starts at its own default bound.
                learner.LimitUsers(options.MaxRealtimeUsers);
                foreach (var interaction in stored)
                {
                    learner.Record(interaction);
                }
            }
        }
    }
}
