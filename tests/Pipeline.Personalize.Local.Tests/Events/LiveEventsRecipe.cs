using Pipeline.Domain.Events;
using Pipeline.Domain.Recommendations;
using Pipeline.Engine.Recipes;

namespace Pipeline.Personalize.Local.Tests.Events;

/// <summary>
/// No engine recipe takes real-time events yet, so this one stands in to check PutEvents' call site: popularity,
/// with the items a user just interacted with moved to the top of that user's list.
/// </summary>
public sealed class LiveEventsRecipe : IRecipe
{
    public const string RecipeName = "test-live-events";

    public string Name => RecipeName;

    public IReadOnlyDictionary<string, string> DefaultHyperParameters { get; } = new Dictionary<string, string>();

    public IRecommendationModel Train(TrainingData data, IReadOnlyDictionary<string, string> hyperParameters, CancellationToken cancellationToken = default) =>
        new Model(PopularityCount.Train(data.Interactions));

    private sealed class Model(PopularityCountModel popularity) : IRecommendationModel, IRealtimeEvents
    {
        private readonly Dictionary<string, List<string>> _recent = new(StringComparer.Ordinal);

        public string Recipe => RecipeName;

        public void Record(InteractionEvent interactionEvent)
        {
            lock (_recent)
            {
                if (!_recent.TryGetValue(interactionEvent.UserId, out var items)) _recent[interactionEvent.UserId] = items = [];
                items.Insert(0, interactionEvent.ItemId);
            }
        }

        public async ValueTask<IReadOnlyList<ScoredItem>> RecommendAsync(ModelQuery query, CancellationToken cancellationToken = default)
        {
            List<string> recent;
            lock (_recent) recent = [.. _recent.GetValueOrDefault(query.UserId) ?? []];
            var popular = await popularity.RecommendAsync(query with { NumResults = query.NumResults + recent.Count }, cancellationToken);
            return [.. recent.Select(id => new ScoredItem(id, 2.0)).Concat(popular.Where(p => !recent.Contains(p.ItemId))).Take(query.NumResults)];
        }
    }
}
