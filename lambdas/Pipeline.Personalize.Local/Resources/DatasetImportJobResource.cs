namespace Pipeline.Personalize.Local.Resources;

public sealed class DatasetImportJobResource : Resource
{
    public override string Arn => DatasetImportJobArn;

    public required string JobName { get; set; }
    public required string DatasetImportJobArn { get; set; }
    public required string DatasetArn { get; set; }
    public required DataSource DataSource { get; set; }
    public string? RoleArn { get; set; }
    public string ImportMode { get; set; } = "FULL";
    public bool? PublishAttributionMetricsToS3 { get; set; }
}

public sealed class DataSource
{
    public string? DataLocation { get; set; }
}
