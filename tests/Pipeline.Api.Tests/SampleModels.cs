using Pipeline.Domain.Recommendations;
using Pipeline.Engine.Datasets;
using Pipeline.Engine.Recipes;

namespace Pipeline.Api.Tests;

/// <summary>A popularity model trained by the real engine on a small generated dataset, shared by a test class.</summary>
public sealed class SampleModels
{
    public SampleModels()
    {
        var folder = Directory.CreateTempSubdirectory("pipeline-sample-").FullName;
        try
        {
            SyntheticDataGenerator.Generate(new SyntheticDataOptions(Users: 200, Items: 100, Interactions: 4000, Seed: 7), folder);
            var interactions = InteractionsCsv.Read(Path.Combine(folder, DatasetFiles.Interactions));
            Popularity = PopularityCount.Train(interactions);
            UserPersonalization = Engine.Recipes.UserPersonalization.Train(new TrainingData(interactions));
            Similar = Sims.Train(interactions);
            Ranking = PersonalizedRanking.Train(interactions);
            Items = ItemsCsv.Read(Path.Combine(folder, DatasetFiles.Items));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    public IRecommendationModel Popularity { get; }

    public IRecommendationModel Similar { get; }

    /// <summary>aws-personalized-ranking; it also keeps each training user's newest items (the similar-items seed).</summary>
    public PersonalizedRankingModel Ranking { get; }

    public IReadOnlyList<Domain.Catalog.Item> Items { get; }

    /// <summary>Learns from events as they arrive and is shared by the class: tests that record events use users of their own.</summary>
    public IRecommendationModel UserPersonalization { get; }

    public ModelRegistry Registry()
    {
        var registry = new ModelRegistry();
        registry.Publish(Popularity);
        return registry;
    }
}
