using Amazon.CDK.Assertions;

namespace Pipeline.Infra.Tests;

[Collection(SynthCollection.Name)]
public sealed class DataStackTests(SynthFixture synth)
{
    private static readonly Dictionary<string, object> PitrEnabled = new()
    {
        ["PointInTimeRecoverySpecification"] = new Dictionary<string, object> { ["PointInTimeRecoveryEnabled"] = true },
    };

    [Fact]
    public void SevenTables_AreAllOnDemandWithPitrEncryptionAndRetain()
    {
        synth.DataTemplate.ResourceCountIs("AWS::DynamoDB::Table", 7);
        var tables = synth.AllResources().Where(r => (string?)r.Resource["Type"] == "AWS::DynamoDB::Table").ToList();
        Assert.Equal(7, tables.Count);
        foreach (var (_, id, table) in tables)
        {
            var p = table["Properties"]!;
            Assert.True((string?)p["BillingMode"] == "PAY_PER_REQUEST", $"{id} billing mode");
            Assert.True((bool?)p["PointInTimeRecoverySpecification"]?["PointInTimeRecoveryEnabled"] == true, $"{id} PITR");
            Assert.True((bool?)p["SSESpecification"]?["SSEEnabled"] == true, $"{id} SSE");
            Assert.Equal("Retain", (string?)table["DeletionPolicy"]);
        }
        synth.DataTemplate.AllResourcesProperties("AWS::DynamoDB::Table", PitrEnabled);
    }

    [Fact]
    public void ExpiringTables_HaveTheTtlAttribute()
    {
        var ttlTables = synth.AllResources()
            .Where(r => (string?)r.Resource["Type"] == "AWS::DynamoDB::Table")
            .Where(r => (string?)r.Resource["Properties"]!["TimeToLiveSpecification"]?["AttributeName"] == Pipeline.DeploymentContract.DynamoDbAttributes.ExpiresAt)
            .Select(r => r.LogicalId)
            .ToList();
        Assert.Equal(4, ttlTables.Count);
        foreach (var name in new[] { "Assignments", "Exposures", "Events", "Aggregates" })
        {
            Assert.Single(ttlTables, id => id.StartsWith(name, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Bucket_BlocksPublicAccessIsEncryptedAndRetained()
    {
        synth.DataTemplate.HasResource("AWS::S3::Bucket", new Dictionary<string, object>
        {
            ["DeletionPolicy"] = "Retain",
            ["Properties"] = Match.ObjectLike(new Dictionary<string, object>
            {
                ["PublicAccessBlockConfiguration"] = new Dictionary<string, object>
                {
                    ["BlockPublicAcls"] = true, ["BlockPublicPolicy"] = true, ["IgnorePublicAcls"] = true, ["RestrictPublicBuckets"] = true,
                },
                ["BucketEncryption"] = Match.ObjectLike(new Dictionary<string, object>
                {
                    ["ServerSideEncryptionConfiguration"] = new object[]
                    {
                        new Dictionary<string, object> { ["ServerSideEncryptionByDefault"] = new Dictionary<string, object> { ["SSEAlgorithm"] = "AES256" } },
                    },
                }),
                ["LifecycleConfiguration"] = Match.ObjectLike(new Dictionary<string, object>
                {
                    ["Rules"] = Match.ArrayWith([Match.ObjectLike(new Dictionary<string, object> { ["Prefix"] = "events/", ["Status"] = "Enabled" })]),
                }),
            }),
        });
    }

    [Fact]
    public void BucketPolicy_DeniesRequestsWithoutTls()
    {
        synth.DataTemplate.HasResourceProperties("AWS::S3::BucketPolicy", new Dictionary<string, object>
        {
            ["PolicyDocument"] = Match.ObjectLike(new Dictionary<string, object>
            {
                ["Statement"] = Match.ArrayWith([Match.ObjectLike(new Dictionary<string, object>
                {
                    ["Effect"] = "Deny",
                    ["Action"] = "s3:*",
                    ["Condition"] = new Dictionary<string, object> { ["Bool"] = new Dictionary<string, object> { ["aws:SecureTransport"] = "false" } },
                })]),
            }),
        });
    }
}

[Collection(SynthCollection.Name)]
public sealed class PersonalizeRoleTests(SynthFixture synth)
{
    private List<PolicyStatementAt> Data() => [.. PolicyDocuments.All(synth).Where(s => s.Where.StartsWith("data/", StringComparison.Ordinal))];

    [Theory]
    [InlineData("training/interactions.csv")]
    [InlineData("events/2026/11/25/13/0123abcd.csv")]
    public void ImportJobs_MayReadTheTrainingExportsAndTheEventArchive(string key)
    {
        var role = Data().Where(s => s.Kind == "identity" && s.Where.StartsWith("data/PersonalizeRole", StringComparison.Ordinal)).ToList();
        var bucket = Data().Where(s => s.Kind == "resource" && s.Service == "personalize.amazonaws.com").ToList();
        var bucketId = synth.DataJson["Resources"]!.AsObject().Single(r => (string?)r.Value!["Type"] == "AWS::S3::Bucket").Key;
        var objectArn = $"{{GetAtt:{bucketId}.Arn}}/" + key;

        Assert.Contains(role, s => s.Grants("s3:GetObject", objectArn));
        Assert.Contains(bucket, s => s.Grants("s3:GetObject", objectArn));
        Assert.DoesNotContain(role, s => s.Grants("s3:GetObject", $"{{GetAtt:{bucketId}.Arn}}/models/m.bin"));
    }

    [Fact]
    public void OnlyPersonalize_ForThisAccountAndRegion_MayAssumeTheRole()
    {
        var trust = Assert.Single(Data(), s => s.Kind == "trust" && s.Where.StartsWith("data/PersonalizeRole", StringComparison.Ordinal));
        var conditions = trust.Statement["Condition"]!;

        Assert.Equal("personalize.amazonaws.com", (string?)trust.Statement["Principal"]!["Service"]);
        Assert.Equal(PolicyDocuments.Account, PolicyDocuments.Resolve(conditions["StringEquals"]!["aws:SourceAccount"]));
        Assert.Equal($"arn:aws:personalize:{PolicyDocuments.Region}:{PolicyDocuments.Account}:*", PolicyDocuments.Resolve(conditions["ArnLike"]!["aws:SourceArn"]));
    }
}
