using Pipeline.DeploymentContract;
using Pipeline.Domain.Recommendations;

namespace Pipeline.Engine.InHouse;

/// <summary>
/// Where the in-house models live and how they are refreshed: the trainer writes <c>{Prefix}{version}/{recipe}.model</c>
/// and then <c>{Prefix}manifest.json</c> to <see cref="Bucket"/>; the API reads the manifest again once
/// <see cref="RefreshSeconds"/> have passed and loads a new version when the manifest names one.
/// </summary>
public sealed class InHouseModelsOptions
{
    public const string Section = "InHouseModels";

    /// <summary>The data bucket (on AWS, <see cref="EnvironmentVariables.DataBucket"/>).</summary>
    public string Bucket { get; set; } = "";

    /// <summary>The models' prefix in the bucket; on AWS the infra grants the trainer and the API the default one only (<see cref="DataBucketPrefixes.Models"/>).</summary>
    public string Prefix { get; set; } = DataBucketPrefixes.Models;

    /// <summary>The recipes the trainer trains: popularity (every variant's fallback) and the cheap in-house variants.</summary>
    public IList<string> Recipes { get; set; } = [Domain.Recommendations.Recipes.PopularityCount, Domain.Recommendations.Recipes.Sims];

    /// <summary>How long the API serves a manifest before reading it again (the campaigns' refresh works the same way).</summary>
    public int RefreshSeconds { get; set; } = 60;

    /// <summary>How long the first request waits for the first load (a cold start) before it is served without the models.</summary>
    public int FirstLoadTimeoutMilliseconds { get; set; } = 10_000;

    public string ManifestKey => Prefix + DataBucketPrefixes.ModelsManifest;

    /// <summary>The problems of these options, each naming its setting; empty when they are usable.</summary>
    public IEnumerable<string> Validate(bool bucketRequired)
    {
        if (bucketRequired && string.IsNullOrWhiteSpace(Bucket))
            yield return $"{EnvironmentVariables.DataBucket} is required: the bucket the in-house models are written to and read from";
        if (Prefix.Length > 0 && !Prefix.EndsWith('/'))
            yield return $"{Section}:Prefix must end with '/' (got '{Prefix}')";
        if (RefreshSeconds <= 0)
            yield return $"{Section}:RefreshSeconds must be > 0 (got {RefreshSeconds})";
        if (FirstLoadTimeoutMilliseconds < 0)
            yield return $"{Section}:FirstLoadTimeoutMilliseconds must be >= 0 (got {FirstLoadTimeoutMilliseconds})";
        if (Recipes.Count == 0)
            yield return $"{Section}:Recipes must name at least one recipe";
        foreach (var recipe in Recipes)
        {
            if (Engine.Recipes.RecipeCatalog.Default.Find(recipe) is null)
                yield return $"{Section}:Recipes: '{recipe}' is not a recipe the engine trains";
        }
    }
}
