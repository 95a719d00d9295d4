using System.Text.Json.Nodes;
using Pipeline.Personalize.Local.Errors;
using static Pipeline.Personalize.Local.Tests.LocalPersonalizeScenario;

namespace Pipeline.Personalize.Local.Tests.ControlPlane;

public sealed class DatasetImportJobOperationsTests : IAsyncLifetime
{
    private LocalPersonalizeScenario _scenario = null!;

    public Task InitializeAsync()
    {
        _scenario = Create();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _scenario.DisposeAsync();

    [Fact]
    public async Task Import_FromAnS3Url_ReadsTheFileUnderTheS3Root()
    {
        var group = await _scenario.DatasetGroupAsync();
        var dataset = await _scenario.ImportAsync(group);

        var jobs = (await _scenario.Call("ListDatasetImportJobs", new() { ["datasetArn"] = dataset }))["datasetImportJobs"]!.AsArray();
        Assert.Equal("ACTIVE", Assert.Single(jobs)!["status"]!.GetValue<string>());
        Assert.Equal(_scenario.Arn("dataset/shop/INTERACTIONS"), dataset);
    }

    [Fact]
    public async Task Import_FromALocalPath_Works()
    {
        var group = await _scenario.DatasetGroupAsync();
        await _scenario.ImportAsync(group, "Items", Path.Combine(_scenario.DataFolder, "items.csv"));

        var job = (await _scenario.Call("DescribeDatasetImportJob", new() { ["datasetImportJobArn"] = _scenario.Arn("dataset-import-job/shop-items-import") }))["datasetImportJob"]!;
        Assert.Equal("ACTIVE", job["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Import_OfAMissingFile_EndsCreateFailedWithAReason()
    {
        var group = await _scenario.DatasetGroupAsync();
        await _scenario.ImportAsync(group, location: "s3://bucket/nowhere/interactions.csv");

        var job = (await _scenario.Call("DescribeDatasetImportJob", new() { ["datasetImportJobArn"] = _scenario.Arn("dataset-import-job/shop-interactions-import") }))["datasetImportJob"]!;
        Assert.Equal("CREATE FAILED", job["status"]!.GetValue<string>());
        Assert.Contains("not found", job["failureReason"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_OfAFileWithoutTheSchemasColumns_EndsCreateFailed()
    {
        var group = await _scenario.DatasetGroupAsync();
        // The items file lacks USER_ID and TIMESTAMP, which the interactions schema requires.
        await _scenario.ImportAsync(group, location: "s3://bucket/data/items.csv");

        var job = (await _scenario.Call("DescribeDatasetImportJob", new() { ["datasetImportJobArn"] = _scenario.Arn("dataset-import-job/shop-interactions-import") }))["datasetImportJob"]!;
        Assert.Equal("CREATE FAILED", job["status"]!.GetValue<string>());
        Assert.Contains("USER_ID", job["failureReason"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateDataset_WithASchemaLackingRequiredFields_FailsWithInvalidInput()
    {
        var group = await _scenario.DatasetGroupAsync();
        var itemsSchema = (await _scenario.Call("CreateSchema", new()
        {
            ["name"] = "items", ["schema"] = await File.ReadAllTextAsync(Path.Combine(_scenario.DataFolder, "items-schema.json")),
        }))["schemaArn"]!.GetValue<string>();

        await Fails(ErrorTypes.InvalidInput, () => _scenario.Call("CreateDataset", new()
        {
            ["name"] = "interactions", ["schemaArn"] = itemsSchema, ["datasetGroupArn"] = group, ["datasetType"] = "Interactions",
        }));
    }

    [Fact]
    public async Task CreateSchema_WithoutAnAvroRecord_FailsWithInvalidInput()
    {
        await Fails(ErrorTypes.InvalidInput, () => _scenario.Call("CreateSchema", new() { ["name"] = "bad", ["schema"] = """{"type": "string"}""" }));
    }

    [Fact]
    public async Task DeleteSchema_WhileADatasetUsesIt_FailsWithResourceInUse()
    {
        var group = await _scenario.DatasetGroupAsync();
        await _scenario.ImportAsync(group);

        await Fails(ErrorTypes.ResourceInUse, () => _scenario.Call("DeleteSchema", new() { ["schemaArn"] = _scenario.Arn("schema/shop-interactions") }));
    }

    [Fact]
    public async Task CreateDataset_OfATypeTheGroupAlreadyHas_FailsWithResourceAlreadyExists()
    {
        var group = await _scenario.DatasetGroupAsync();
        await _scenario.ImportAsync(group);

        await Fails(ErrorTypes.ResourceAlreadyExists, () => _scenario.Call("CreateDataset", new()
        {
            ["name"] = "again", ["schemaArn"] = _scenario.Arn("schema/shop-interactions"), ["datasetGroupArn"] = group, ["datasetType"] = "INTERACTIONS",
        }));
    }
}
