using Pipeline.Domain.Storage;
using Pipeline.Engine.Datasets;
using Pipeline.Engine.InHouse;
using Pipeline.Engine.Models;
using Pipeline.Engine.Recipes;
using Pipeline.Domain.Recommendations;
using Pipeline.StatesLanguage.Interpreter;
using static Pipeline.Workflows.Local.Tests.TrainingScenario;

namespace Pipeline.Workflows.Local.Tests;

/// <summary>
/// The training ASL's in-house trainer task, run by the interpreter with the trainer function's own handler under the
/// synthesized FunctionName, on the local S3 root (bucket <see cref="LocalTaskInvokers.LocalModelsBucket"/>).
/// </summary>
public sealed class InHouseTrainingWorkflowTests
{
    [Fact]
    public async Task Training_WithAnImport_TrainsTheInHouseModelsFromIt_BeforeThePersonalizeSolutions()
    {
        await using var scenario = Create();

        var execution = await scenario.RunTrainingAsync(Input(["aws-popularity-count"], SampleImport()));

        Assert.Equal(ExecutionStatus.Succeeded, execution.Status);
        var entered = Entered(execution);
        Assert.True(entered.IndexOf("ImportsSucceeded") < entered.IndexOf("TrainInHouseModels"));
        Assert.True(entered.IndexOf("TrainInHouseModels") < entered.IndexOf("TrainRecipes"));
        var inHouse = execution.Output!["inHouse"]!;
        Assert.Equal("TRAINED", inHouse["status"]!.GetValue<string>());
        var manifest = ModelManifest.Parse(await File.ReadAllBytesAsync(ModelsPath(scenario, "manifest.json")));
        Assert.Equal(inHouse["version"]!.GetValue<string>(), manifest.Version);
        Assert.Equal("s3://bucket/data/interactions.csv", manifest.Interactions);
        Assert.Equal(["aws-popularity-count", "aws-sims"], manifest.Models.Keys.Order(StringComparer.Ordinal));
        // The artifacts are the engine's models of the imported file: the same answers as the recipe trained on it here.
        var popularity = ModelArtifact.Load(ModelsPath(scenario, $"{manifest.Version}/aws-popularity-count.model")).Model;
        var interactions = InteractionsCsv.Read(Path.Combine(scenario.Root, "s3", "bucket", "data", "interactions.csv"));
        var recipe = new PopularityCountRecipe();
        var expected = recipe.Train(new TrainingData(interactions), recipe.DefaultHyperParameters);
        var query = new ModelQuery("anyone", null, 10);
        Assert.Equal(await expected.RecommendAsync(query), await popularity.RecommendAsync(query));
    }

    [Fact]
    public async Task Training_WithoutAnImport_RetrainsOnTheLastImportedFile_AndBeforeAnyImportIsSkipped()
    {
        await using var scenario = Create();
        // Nothing imported yet: the run ends SKIPPED before any training, the in-house models' included.
        var nothing = await scenario.RunTrainingAsync(Input(["aws-popularity-count"]));
        var first = await scenario.RunTrainingAsync(Input(["aws-popularity-count"], SampleImport()));

        var again = await scenario.RunTrainingAsync(Input(["aws-popularity-count"]));

        Assert.Equal(ExecutionStatus.Succeeded, nothing.Status);
        Assert.Equal("SKIPPED", nothing.Output!["status"]!.GetValue<string>());
        Assert.DoesNotContain("TrainInHouseModels", Entered(nothing));
        Assert.DoesNotContain("TrainRecipes", Entered(nothing));
        Assert.Equal(ExecutionStatus.Succeeded, again.Status);
        Assert.Equal("TRAINED", again.Output!["inHouse"]!["status"]!.GetValue<string>());
        Assert.NotEqual(first.Output!["inHouse"]!["version"]!.GetValue<string>(), again.Output!["inHouse"]!["version"]!.GetValue<string>());
        Assert.Equal("s3://bucket/data/interactions.csv", ModelManifest.Parse(await File.ReadAllBytesAsync(ModelsPath(scenario, "manifest.json"))).Interactions);
    }

    [Fact]
    public async Task Training_WhenTheInHouseTrainerFails_FailsNamingItsState_AlertsAndTrainsNoSolution()
    {
        await using var scenario = Create();
        var unwritable = new InHouseTrainingHandler(new UnwritableStore(new FileObjectStore(Path.Combine(scenario.Root, "s3"))),
            new InHouseModelsOptions { Bucket = LocalTaskInvokers.LocalModelsBucket }, TimeProvider.System);

        var execution = await scenario.RunTrainingAsync(Input(["aws-popularity-count"], SampleImport()), unwritable);

        Assert.Equal(ExecutionStatus.Failed, execution.Status);
        Assert.DoesNotContain("TrainRecipes", Entered(execution));
        var alert = Assert.Single(scenario.Alerts.Alerts);
        Assert.Equal("TrainInHouseModels", alert.MessageJson!["failedState"]!.GetValue<string>());
    }

    /// <summary>Reads, but every write fails as a bucket the function may not write would.</summary>
    private sealed class UnwritableStore(IObjectStore inner) : IObjectStore
    {
        public Task<byte[]?> GetAsync(string bucket, string key, CancellationToken cancellationToken = default) => inner.GetAsync(bucket, key, cancellationToken);

        public Task PutAsync(string bucket, string key, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken = default) =>
            throw new UnauthorizedAccessException($"s3:PutObject on {bucket}/{key} denied");
    }

    private static string ModelsPath(TrainingScenario scenario, string name) =>
        Path.Combine(scenario.Root, "s3", LocalTaskInvokers.LocalModelsBucket, "models", name);
}
