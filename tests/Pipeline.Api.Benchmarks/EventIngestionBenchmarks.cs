using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using System.Diagnostics.Metrics;
using Pipeline.Adapters.Local.Sqlite;
using Pipeline.Api.Contracts;
using Pipeline.Api.Handlers;
using Pipeline.Api.Observability;
using Pipeline.Domain.Events;
using Pipeline.Domain.Experiments;
using Pipeline.Domain.Experiments.Metrics;
using Pipeline.Domain.Recommendations;
using Pipeline.Engine.Datasets;
using Pipeline.Engine.Recipes;

namespace Pipeline.Api.Benchmarks;

/// <summary>
/// The events path of <c>POST /events</c> in process, without HTTP: validation, the durable group-committed insert
/// into SQLite (WAL, synchronous=FULL, on the temp folder's disk), the real-time hand-off to an ALS
/// user-personalization model over 20,000 items, and the experiment aggregates of attributed clicks.
/// Batches of 100 events, from one caller (latency of a batch, one fsync each) and from 16 concurrent callers
/// (throughput under group commit). Results are per event. Target on 2 cores: 50,000 events/s, i.e. ≤ 20 µs an event
/// with 16 callers.
/// </summary>
[MemoryDiagnoser]
public class EventIngestionBenchmarks
{
    private const int BatchSize = 100;
    private const int Callers = 16;
    private const int Users = 20_000;
    private const int Items = 20_000;

    private string _folder = null!;
    private ServiceProvider _meters = null!;
    private SqliteDatabase _database = null!;
    private EventsHandler _handler = null!;
    private string[] _recommendationIds = null!;
    private long _next;

    /// <summary>Share of events that are clicks carrying a served recommendation id (attributed to the experiment).</summary>
    [Params(0, 10)]
    public int ClickPercent { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _folder = Directory.CreateTempSubdirectory("pipeline-events-bench-").FullName;
        SyntheticDataGenerator.Generate(new SyntheticDataOptions(Users, Items, 200_000, Seed: 1), _folder);
        var interactions = InteractionsCsv.Read(Path.Combine(_folder, DatasetFiles.Interactions));
        var models = new ModelRegistry();
        models.Publish(UserPersonalization.Train(new TrainingData(interactions),
            new UserPersonalizationOptions("als", Als: new AlsOptions(Iterations: 3))));

        _database = new SqliteDatabase(Path.Combine(_folder, "pipeline.db"));
        var events = new SqliteEventStore(_database);
        var exposures = new SqliteExposureStore(_database);
        var metricsStore = new SqliteExperimentMetricsStore(_database);
        var recorder = new ExperimentMetricsRecorder(metricsStore, exposures, events);
        _meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
        _handler = new EventsHandler(events, new RealtimeEventForwarder(models, new ServingOptions()), new ApiMetrics(_meters.GetRequiredService<IMeterFactory>(), new LiveMetrics(TimeProvider.System)),
            TimeProvider.System, new ImmediateExperimentTracking(exposures, recorder), new EventOptions());

        // Served recommendations the clicks refer to, as the recommendations path logs them.
        var experiment = new Experiment("default", ExperimentStatus.Running, [new Variant("control", 1, Recipes.UserPersonalization)], 1, "",
            DateTimeOffset.UtcNow);
        _recommendationIds = new string[Users];
        for (var u = 0; u < Users; u++)
        {
            var exposure = new Exposure(Guid.NewGuid().ToString("N"), "default", "control", UserId(u), Recipes.UserPersonalization,
                ServedBy.Primary, ["item_00001"], DateTimeOffset.UtcNow);
            exposures.AppendAsync(exposure).GetAwaiter().GetResult();
            recorder.RecordExposureAsync(exposure, experiment.Phase, TimeSpan.FromMilliseconds(1)).GetAwaiter().GetResult();
            _recommendationIds[u] = exposure.RecommendationId;
        }
        _database.Writes.EnqueueAsync((_, _) => 0).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _database.Dispose();
        _meters.Dispose();
        SqliteDatabase.ReleaseAll();
        Directory.Delete(_folder, recursive: true);
    }

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public Task OneCaller() => RecordBatchAsync();

    [Benchmark(OperationsPerInvoke = BatchSize * Callers)]
    public Task SixteenCallers() => Task.WhenAll(Enumerable.Range(0, Callers).Select(_ => RecordBatchAsync()));

    private async Task RecordBatchAsync()
    {
        var batch = new EventRequestBody?[BatchSize];
        for (var i = 0; i < BatchSize; i++)
        {
            var n = Interlocked.Increment(ref _next);
            var user = (int)(n * 7919 % Users);
            var click = n % 100 < ClickPercent;
            batch[i] = new EventRequestBody($"bench-{n}", UserId(user), click ? EventTypes.Click : EventTypes.View,
                $"item_{n * 104729 % Items + 1:00000}", "s-1", click ? _recommendationIds[user] : null, null, null);
        }
        var result = await _handler.RecordAsync(new EventsRequestBody(batch, null, null, null, null, null, null, null, null), CancellationToken.None);
        if (result.Result is not Microsoft.AspNetCore.Http.HttpResults.Accepted<EventsAcceptedBody>)
        {
            throw new InvalidOperationException("The batch was not accepted.");
        }
    }

    private static string UserId(int index) => $"user_{index + 1:00000}";
}
