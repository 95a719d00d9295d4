namespace Pipeline.Personalize.Local.Resources;

/// <summary>A dataset schema; schemas have no status in Personalize.</summary>
public sealed class SchemaResource : Resource
{
    public override string Arn => SchemaArn;

    public required string Name { get; set; }
    public required string SchemaArn { get; set; }
    public required string Schema { get; set; }
    public string? Domain { get; set; }
}
