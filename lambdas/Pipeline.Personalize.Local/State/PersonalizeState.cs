using Pipeline.Personalize.Local.Resources;

namespace Pipeline.Personalize.Local.State;

/// <summary>Every resource by ARN, plus what Describe does not show (solution metrics). Persisted whole as state.json.</summary>
public sealed class PersonalizeState
{
    public Dictionary<string, DatasetGroupResource> DatasetGroups { get; set; } = new(StringComparer.Ordinal);
    public Dictionary<string, SchemaResource> Schemas { get; set; } = new(StringComparer.Ordinal);
    public Dictionary<string, DatasetResource> Datasets { get; set; } = new(StringComparer.Ordinal);
    public Dictionary<string, DatasetImportJobResource> DatasetImportJobs { get; set; } = new(StringComparer.Ordinal);
    public Dictionary<string, SolutionResource> Solutions { get; set; } = new(StringComparer.Ordinal);
    public Dictionary<string, SolutionVersionResource> SolutionVersions { get; set; } = new(StringComparer.Ordinal);
    public Dictionary<string, CampaignResource> Campaigns { get; set; } = new(StringComparer.Ordinal);
    public Dictionary<string, EventTrackerResource> EventTrackers { get; set; } = new(StringComparer.Ordinal);
    public Dictionary<string, FilterResource> Filters { get; set; } = new(StringComparer.Ordinal);
    public Dictionary<string, BatchInferenceJobResource> BatchInferenceJobs { get; set; } = new(StringComparer.Ordinal);
    public Dictionary<string, RecommenderResource> Recommenders { get; set; } = new(StringComparer.Ordinal);
    public Dictionary<string, MetricAttributionResource> MetricAttributions { get; set; } = new(StringComparer.Ordinal);
    public Dictionary<string, Dictionary<string, double>> SolutionMetrics { get; set; } = new(StringComparer.Ordinal);
}
