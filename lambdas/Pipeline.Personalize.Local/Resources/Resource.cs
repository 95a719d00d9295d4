using System.Text.Json.Serialization;

namespace Pipeline.Personalize.Local.Resources;

/// <summary>
/// What every Personalize resource has. Subclasses carry the members of the resource's Describe shape under the
/// same (camelCase) names, so a resource serializes straight into its Describe response and into the state file.
/// </summary>
public abstract class Resource
{
    [JsonIgnore]
    public abstract string Arn { get; }

    public string? Status { get; set; }
    public string? FailureReason { get; set; }
    public DateTimeOffset CreationDateTime { get; set; }
    public DateTimeOffset LastUpdatedDateTime { get; set; }
}
