using Pipeline.Domain.Events;

namespace Pipeline.Domain.Recommendations;

/// <summary>Hands newly stored events to every served model that learns in real time.</summary>
public sealed class RealtimeEventForwarder(IModelRegistry models)
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
                foreach (var interaction in stored)
                {
                    learner.Record(interaction);
                }
            }
        }
    }
}
