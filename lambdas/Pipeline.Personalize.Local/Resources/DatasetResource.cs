namespace Pipeline.Personalize.Local.Resources;

public sealed class DatasetResource : Resource
{
    public override string Arn => DatasetArn;

    public required string Name { get; set; }
    public required string DatasetArn { get; set; }
    public required string DatasetGroupArn { get; set; }

    /// <summary>As given at creation (Personalize echoes the caller's casing, e.g. <c>Interactions</c>).</summary>
    public required string DatasetType { get; set; }
    public required string SchemaArn { get; set; }
    public string? TrackingId { get; set; }
}
