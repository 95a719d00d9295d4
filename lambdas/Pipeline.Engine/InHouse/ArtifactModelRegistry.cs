using System.Collections.Immutable;
using System.Diagnostics;
using Pipeline.Domain.Recommendations;
using Pipeline.Domain.Storage;
using Pipeline.Engine.Models;

namespace Pipeline.Engine.InHouse;

/// <summary>
/// The in-house models the trainer wrote, as the API on AWS serves them. Loaded lazily: the first use (the Web Adapter's
/// readiness check, else the first request) reads the manifest and the artifacts it names, waiting at most
/// <see cref="InHouseModelsOptions.FirstLoadTimeoutMilliseconds"/>. Afterwards a use that finds the manifest older than
/// <see cref="InHouseModelsOptions.RefreshSeconds"/> reads it again in the background and, when it names a new version,
/// loads that version and swaps it in whole; requests keep the models they found. No manifest yet (a deployment before its
/// first training) is no model: the fallback chain answers <c>fallback:not-trained</c>.
/// </summary>
public sealed class ArtifactModelRegistry(IObjectStore objects, InHouseModelsOptions options, TimeProvider time, Action<Exception>? onRefreshFailed = null)
    : IModelRegistry
{
    private readonly Lock _gate = new();
    private volatile Loaded? _loaded;
    private Task? _refresh;

    /// <summary>What is served: the manifest's version (null before the first training) and when it was read.</summary>
    public sealed record Loaded(string? Version, ImmutableDictionary<string, IRecommendationModel> Models, long CheckedAtTimestamp, TimeSpan LoadTime);

    /// <summary>The last load, or null before the first one finished.</summary>
    public Loaded? Current => _loaded;

    public IReadOnlyList<string> Recipes => [.. Snapshot().Keys.Order(StringComparer.Ordinal)];

    public IRecommendationModel? Find(string recipe) => Snapshot().GetValueOrDefault(recipe);

    /// <summary>Reads the manifest now and loads its version if it is new (the background refresh calls this too).</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        var started = time.GetTimestamp();
        var bytes = await objects.GetAsync(options.Bucket, options.ManifestKey, cancellationToken);
        var previous = _loaded;
        if (bytes is null)
        {
            _loaded = new Loaded(null, ImmutableDictionary<string, IRecommendationModel>.Empty, time.GetTimestamp(), time.GetElapsedTime(started));
            return;
        }
        var manifest = ModelManifest.Parse(bytes);
        if (previous?.Version == manifest.Version)
        {
            _loaded = previous with { CheckedAtTimestamp = time.GetTimestamp() };
            return;
        }
        var models = ImmutableDictionary.CreateBuilder<string, IRecommendationModel>(StringComparer.Ordinal);
        foreach (var (recipe, key) in manifest.Models)
        {
            var artifact = await objects.GetAsync(options.Bucket, key, cancellationToken)
                ?? throw new InvalidModelArtifactException($"s3://{options.Bucket}/{key} named by manifest version {manifest.Version} does not exist");
            models[recipe] = ModelArtifact.Load(new MemoryStream(artifact, writable: false)).Model;
        }
        _loaded = new Loaded(manifest.Version, models.ToImmutable(), time.GetTimestamp(), time.GetElapsedTime(started));
    }

    private ImmutableDictionary<string, IRecommendationModel> Snapshot()
    {
        var loaded = _loaded;
        if (loaded is null)
        {
            // Cold start: wait for the first load, bounded; a store that does not answer leaves the models empty for now.
            var first = StartRefresh();
            first.Wait(TimeSpan.FromMilliseconds(options.FirstLoadTimeoutMilliseconds));
            return _loaded?.Models ?? ImmutableDictionary<string, IRecommendationModel>.Empty;
        }
        if (time.GetElapsedTime(loaded.CheckedAtTimestamp) >= TimeSpan.FromSeconds(options.RefreshSeconds))
        {
            StartRefresh();
        }
        return loaded.Models;
    }

    private Task StartRefresh()
    {
        lock (_gate)
        {
            if (_refresh is { IsCompleted: false } running) return running;
            return _refresh = Task.Run(async () =>
            {
                try
                {
                    await RefreshAsync();
                }
                catch (Exception e)
                {
                    // Keep serving what was loaded; try again after another TTL rather than on every request.
                    // (A first load that fails serves no model until then: the chain answers fallback:not-trained.)
                    _loaded = (_loaded ?? new Loaded(null, ImmutableDictionary<string, IRecommendationModel>.Empty, 0, TimeSpan.Zero))
                        with { CheckedAtTimestamp = time.GetTimestamp() };
                    onRefreshFailed?.Invoke(e);
                }
            });
        }
    }
}
