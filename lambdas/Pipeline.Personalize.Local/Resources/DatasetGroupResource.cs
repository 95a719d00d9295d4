namespace Pipeline.Personalize.Local.Resources;

public sealed class DatasetGroupResource : Resource
{
    public override string Arn => DatasetGroupArn;

    public required string Name { get; set; }
    public required string DatasetGroupArn { get; set; }
    public string? RoleArn { get; set; }
    public string? KmsKeyArn { get; set; }
    public string? Domain { get; set; }
}
