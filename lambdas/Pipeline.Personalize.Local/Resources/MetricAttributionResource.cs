using System.Text.Json.Nodes;

namespace Pipeline.Personalize.Local.Resources;

/// <summary>A metric attribution (one per dataset group): kept as a resource; the local service computes no attribution reports.</summary>
public sealed class MetricAttributionResource : Resource
{
    public override string Arn => MetricAttributionArn;

    public required string Name { get; set; }
    public required string MetricAttributionArn { get; set; }
    public required string DatasetGroupArn { get; set; }
    public required JsonObject MetricsOutputConfig { get; set; }
    public required JsonArray Metrics { get; set; }
}
