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
            Popularity = PopularityCount.Train(InteractionsCsv.Read(Path.Combine(folder, DatasetFiles.Interactions)));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    public IRecommendationModel Popularity { get; }

    public ModelRegistry Registry()
    {
        var registry = new ModelRegistry();
        registry.Publish(Popularity);
        return registry;
    }
}
