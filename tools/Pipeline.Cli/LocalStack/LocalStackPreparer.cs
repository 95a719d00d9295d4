using Pipeline.Adapters.Local.Sqlite;
using Pipeline.Domain.Recommendations;
using Pipeline.Engine.Datasets;
using Pipeline.Engine.Models;
using Pipeline.Engine.Recipes;

namespace Pipeline.Cli.LocalStack;

/// <summary>
/// Brings a data directory to a servable state: sample data, catalog in the store, trained models, the
/// default experiment. Each step is skipped when its result is already there, so a second start is quick.
/// </summary>
public sealed class LocalStackPreparer(LocalStackOptions options, IPreparationProgress progress, TimeProvider time)
{
    public async Task<ModelRegistry> PrepareAsync(CancellationToken cancellationToken)
    {
        EnsureSampleData(cancellationToken);
        await using var database = new SqliteDatabase(options.DatabasePath);
        await LoadCatalogAsync(database, cancellationToken);
        var models = TrainOrLoadModels(cancellationToken);
        await ReplayRealtimeEventsAsync(database, models, cancellationToken);
        await EnsureExperimentAsync(database, cancellationToken);
        return models;
    }

    private void EnsureSampleData(CancellationToken cancellationToken)
    {
        using var step = progress.Start("Sample data", options.SampleData.Interactions);
        if (File.Exists(Path.Combine(options.SampleDirectory, DatasetFiles.Interactions)))
        {
            step.Complete("reused");
            return;
        }
        // Written to a temporary folder and renamed, so an interrupted first start never leaves half a dataset.
        var staging = options.SampleDirectory + ".partial";
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }
        if (options.Dataset is { } dataset)
        {
            var note = DatasetSample.Write(dataset, staging, cancellationToken);
            Directory.Move(staging, options.SampleDirectory);
            step.Complete(note);
            return;
        }
        var written = 0L;
        var summary = SyntheticDataGenerator.Generate(options.SampleData, staging,
            new SynchronousProgress<long>(count => { step.Advance(count - written); written = count; }), cancellationToken);
        Directory.Move(staging, options.SampleDirectory);
        step.Complete($"{summary.Users:N0} users, {summary.Items:N0} items, {summary.Interactions:N0} interactions");
    }

    private async Task LoadCatalogAsync(SqliteDatabase database, CancellationToken cancellationToken)
    {
        using var step = progress.Start("Catalog");
        var items = new SqliteItemStore(database);
        if (await items.CountAsync(cancellationToken) > 0)
        {
            step.Complete("reused");
            return;
        }
        // A user's dataset may come without items or users (both optional in Personalize).
        var itemsFile = Path.Combine(options.SampleDirectory, DatasetFiles.Items);
        var usersFile = Path.Combine(options.SampleDirectory, DatasetFiles.Users);
        var catalog = File.Exists(itemsFile) ? ItemsCsv.Read(itemsFile) : [];
        var users = File.Exists(usersFile) ? UsersCsv.Read(usersFile) : [];
        await new SqliteUserStore(database).UpsertAsync(users, cancellationToken);
        // Items last: their presence is what marks the catalog as loaded.
        await items.UpsertAsync(catalog, cancellationToken);
        step.Complete($"{catalog.Count:N0} items, {users.Count:N0} users");
    }

    private ModelRegistry TrainOrLoadModels(CancellationToken cancellationToken)
    {
        var registry = new ModelRegistry();
        InteractionDataset? dataset = null;
        IReadOnlyList<Pipeline.Domain.Catalog.Item>? items = null;
        Directory.CreateDirectory(options.ModelsDirectory);
        // Cheapest recipe first, so popularity (every variant's fallback) is ready as early as possible.
        foreach (var recipe in RecipeCatalog.Default.All)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var step = progress.Start($"Model {recipe.Name}");
            var path = Path.Combine(options.ModelsDirectory, recipe.Name + ".model");
            if (File.Exists(path))
            {
                registry.Publish(ModelArtifact.Load(path).Model);
                step.Complete("reused");
                continue;
            }
            dataset ??= InteractionsCsv.Read(Path.Combine(options.SampleDirectory, DatasetFiles.Interactions), cancellationToken);
            // The items dataset too, as Personalize trains with it: user-personalization blends in CATEGORY.
            var itemsFile = Path.Combine(options.SampleDirectory, DatasetFiles.Items);
            items ??= File.Exists(itemsFile) ? ItemsCsv.Read(itemsFile) : [];
            var started = time.GetTimestamp();
            var model = recipe.Train(new TrainingData(dataset, items), recipe.DefaultHyperParameters, cancellationToken);
            ModelArtifact.Create(model, dataset.Fingerprint(), time.GetUtcNow()).Save(path);
            registry.Publish(model);
            step.Complete($"trained in {time.GetElapsedTime(started).TotalSeconds:0.00} s");
        }
        return registry;
    }

    /// <summary>The live events stored since the models' training, replayed so a restart keeps users' real-time state.</summary>
    private async Task ReplayRealtimeEventsAsync(SqliteDatabase database, ModelRegistry models, CancellationToken cancellationToken)
    {
        using var step = progress.Start("Real-time events");
        var started = time.GetTimestamp();
        var replayed = await new RealtimeEventReplay(new SqliteEventStore(database)).ReplayAsync(models, cancellationToken);
        step.Complete($"{replayed:N0} replayed in {time.GetElapsedTime(started).TotalSeconds:0.00} s");
    }

    private async Task EnsureExperimentAsync(SqliteDatabase database, CancellationToken cancellationToken)
    {
        using var step = progress.Start("Experiment");
        var experiments = new SqliteExperimentStore(database);
        if (await experiments.GetAsync(DefaultExperiment.Key, cancellationToken) is not null)
        {
            step.Complete("reused");
            return;
        }
        await experiments.UpsertAsync(DefaultExperiment.Create(time.GetUtcNow()), cancellationToken);
        step.Complete($"'{DefaultExperiment.Key}' created");
    }

    /// <summary>Reports on the calling thread, unlike <see cref="Progress{T}"/>, so the last report is not lost.</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
