using Pipeline.Engine.Models;
using Pipeline.Engine.Recipes;
using Pipeline.Personalize.Local.Lifecycle;

namespace Pipeline.Personalize.Local;

/// <summary>Where the local Personalize keeps its state and how it behaves.</summary>
public sealed record LocalPersonalizeOptions
{
    /// <summary>Resources (state.json), imported data and trained models live here; a restart on the same folder keeps them.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>The folder that stands for S3: <c>s3://bucket/key</c> is <c>&lt;S3Root&gt;/bucket/key</c>. Defaults to <c>&lt;DataDirectory&gt;/s3</c>.</summary>
    public string? S3Root { get; init; }

    public string Region { get; init; } = "us-east-1";
    public string AccountId { get; init; } = "000000000000";

    public LifecycleMode Lifecycle { get; init; } = LifecycleMode.Realistic;

    /// <summary>In <see cref="LifecycleMode.Realistic"/>, how long each intermediate status stays visible.</summary>
    public TimeSpan StepDelay { get; init; } = TimeSpan.FromSeconds(1);

    public RecipeCatalog Recipes { get; init; } = RecipeCatalog.Default;
    public ModelPayloadSerializers Serializers { get; init; } = ModelPayloadSerializers.Default;

    /// <summary>Seed of the holdout behind GetSolutionMetrics, so the same data gives the same metrics.</summary>
    public int MetricsSeed { get; init; } = 42;

    /// <summary>Dataset groups per account before CreateDatasetGroup answers LimitExceededException.</summary>
    public int MaxDatasetGroups { get; init; } = 100;

    /// <summary>
    /// How many users' real-time events (PutEvents) each solution version's model keeps; the least recently active
    /// beyond it are served from their trained history until their next event. At least 2.
    /// </summary>
    public int MaxRealtimeUsers { get; init; } = Pipeline.Domain.Recommendations.ServingOptions.DefaultMaxRealtimeUsers;

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    public string ResolvedS3Root => S3Root ?? Path.Combine(DataDirectory, "s3");
}
