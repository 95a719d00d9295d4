using System.Text.Json.Nodes;
using Pipeline.Personalize.Local.Errors;
using static Pipeline.Personalize.Local.Tests.LocalPersonalizeScenario;

namespace Pipeline.Personalize.Local.Tests.ControlPlane;

public sealed class DatasetImportJobOperationsTests : IAsyncLifetime
{
    private readonly LocalPersonalizeScenario _scenario = Create();

    public Task InitializeAsync() => Task.CompletedTask;

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

    private async Task ImportAgainAsync(string datasetArn, string jobName, string location, string mode)
    {
        await _scenario.Call("CreateDatasetImportJob", new()
        {
            ["jobName"] = jobName,
            ["datasetArn"] = datasetArn,
            ["dataSource"] = new JsonObject { ["dataLocation"] = location },
            ["roleArn"] = "arn:aws:iam::000000000000:role/personalize",
            ["importMode"] = mode,
        });
        await _scenario.Service.WhenIdleAsync();
        var job = (await _scenario.Call("DescribeDatasetImportJob", new() { ["datasetImportJobArn"] = _scenario.Arn("dataset-import-job/" + jobName) }))["datasetImportJob"]!;
        Assert.Equal(("ACTIVE", mode), (job["status"]!.GetValue<string>(), job["importMode"]!.GetValue<string>()));
    }

    /// <summary>The dataset's stored rows (the service keeps one CSV per dataset under its data directory).</summary>
    private string[] StoredRows(string datasetType) =>
        [.. File.ReadAllLines(Path.Combine(_scenario.Options.DataDirectory, "datasets", $"dataset_shop_{datasetType}.csv")).Skip(1)];

    private string WriteFile(string name, params string[] lines)
    {
        var path = Path.Combine(_scenario.Options.ResolvedS3Root, "bucket", "more", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllLines(path, lines);
        return "s3://bucket/more/" + name;
    }

    [Fact]
    public async Task Import_Incremental_AppendsInteractions_AndFullReplacesThem()
    {
        var group = await _scenario.DatasetGroupAsync();
        var dataset = await _scenario.ImportAsync(group);
        var before = StoredRows("INTERACTIONS");
        var header = File.ReadLines(Path.Combine(_scenario.DataFolder, "interactions.csv")).First();
        var more = WriteFile("interactions.csv", header, before[0], before[1]);

        await ImportAgainAsync(dataset, "shop-more", more, "INCREMENTAL");

        Assert.Equal([.. before, before[0], before[1]], StoredRows("INTERACTIONS"));

        await ImportAgainAsync(dataset, "shop-replace", more, "FULL");

        Assert.Equal([before[0], before[1]], StoredRows("INTERACTIONS"));
    }

    [Fact]
    public async Task Import_Incremental_ReplacesItemsWithTheSameId_AndAddsNewOnes()
    {
        var group = await _scenario.DatasetGroupAsync();
        var dataset = await _scenario.ImportAsync(group, "Items");
        var before = StoredRows("ITEMS");
        var header = File.ReadLines(Path.Combine(_scenario.DataFolder, "items.csv")).First().Split(',');
        Assert.Equal("ITEM_ID", header[0]);
        var firstId = before[0].Split(',')[0];
        string Row(string id) => string.Join(',', header.Select(c => c switch { "ITEM_ID" => id, "CATEGORY" => "\"replaced, quoted\"", "PRICE" => "1", _ => "1700000000" }));
        var more = WriteFile("items.csv", string.Join(',', header), Row(firstId), Row("item_new"));

        await ImportAgainAsync(dataset, "shop-items-more", more, "INCREMENTAL");

        var after = StoredRows("ITEMS");
        Assert.Equal(before.Length + 1, after.Length);
        Assert.Equal(before[1..], after[..^2]);
        Assert.Equal([Row(firstId), Row("item_new")], after[^2..]);
    }

    [Fact]
    public async Task Import_IncrementalIntoADatasetWithoutBulkData_FailsWithInvalidInput()
    {
        var group = await _scenario.DatasetGroupAsync();
        var dataset = await _scenario.ImportAsync(group, location: "s3://bucket/nowhere/interactions.csv"); // CREATE FAILED: no bulk data

        var error = await Fails(ErrorTypes.InvalidInput, () => _scenario.Call("CreateDatasetImportJob", new()
        {
            ["jobName"] = "shop-incremental",
            ["datasetArn"] = dataset,
            ["dataSource"] = new JsonObject { ["dataLocation"] = "s3://bucket/data/interactions.csv" },
            ["roleArn"] = "arn:aws:iam::000000000000:role/personalize",
            ["importMode"] = "INCREMENTAL",
        }));

        Assert.Contains("FULL", error.Message, StringComparison.Ordinal);
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
