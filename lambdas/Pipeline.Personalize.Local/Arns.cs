namespace Pipeline.Personalize.Local;

/// <summary>Personalize's ARNs: <c>arn:aws:personalize:&lt;region&gt;:&lt;account&gt;:&lt;type&gt;/&lt;name&gt;</c>.</summary>
public sealed class Arns(string region, string accountId)
{
    public string Region { get; } = region;
    public string AccountId { get; } = accountId;

    public string DatasetGroup(string name) => Make("dataset-group", name);
    public string Schema(string name) => Make("schema", name);

    /// <summary>Datasets are named by their group and type, as Personalize does: <c>dataset/&lt;group&gt;/INTERACTIONS</c>.</summary>
    public string Dataset(string datasetGroupName, string datasetType) => Make("dataset", $"{datasetGroupName}/{datasetType.ToUpperInvariant()}");
    public string DatasetImportJob(string name) => Make("dataset-import-job", name);
    public string Solution(string name) => Make("solution", name);

    /// <summary>Versions live under their solution with a short random id, as Personalize's do.</summary>
    public string SolutionVersion(string solutionName) => Make("solution", $"{solutionName}/{Guid.NewGuid().ToString("N")[..8]}");
    public string Campaign(string name) => Make("campaign", name);
    public string EventTracker(string name) => Make("event-tracker", name);
    public string Filter(string name) => Make("filter", name);
    public string BatchInferenceJob(string name) => Make("batch-inference-job", name);
    public string Recommender(string name) => Make("recommender", name);
    public string MetricAttribution(string name) => Make("metric-attribution", name);

    /// <summary>The part after the account, e.g. <c>dataset-group/shop</c>.</summary>
    public static string ResourcePart(string arn)
    {
        var parts = arn.Split(':', 6);
        return parts.Length == 6 ? parts[5] : arn;
    }

    /// <summary>The last name of an ARN's resource part (the dataset group's name for a dataset group ARN).</summary>
    public static string Name(string arn) => ResourcePart(arn).Split('/', 2) is [_, var rest] ? rest : arn;

    private string Make(string type, string name) => $"arn:aws:personalize:{Region}:{AccountId}:{type}/{name}";
}
