using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Pipeline.Api.Hosting;

namespace Pipeline.Api.Tests.Hosting;

public sealed class HostSettingsTests
{
    private static HostSettings Bind(params (string Key, string Value)[] settings) =>
        HostSettings.Bind(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build());

    [Fact]
    public void Bind_WithoutSettings_IsTheLocalApi()
    {
        var settings = Bind();

        Assert.Equal((false, PipelineRoles.Api), (settings.Aws, settings.Role));
        Assert.Empty(settings.Problems);
    }

    [Fact]
    public void Bind_WithAnUnknownRole_NamesTheSettingAndTheRoles()
    {
        var problem = Assert.Single(Bind(("PIPELINE_ROLE", "apii")).Problems);

        Assert.Equal("PIPELINE_ROLE must be one of api, events-consumer, metric-gate, in-house-trainer, bandit-updater, online-gate (got 'apii')", problem);
    }

    [Fact]
    public void Bind_AwsApiWithoutItsTablesQueueAndBucket_NamesEachMissingSetting()
    {
        var problems = Bind(("PIPELINE_MODE", "aws"), ("PIPELINE_EXPERIMENTS_TABLE", "e")).Problems;

        Assert.Contains("PIPELINE_ASSIGNMENTS_TABLE is required for PIPELINE_ROLE=api", problems);
        Assert.Contains("PIPELINE_EVENTS_QUEUE_URL is required for PIPELINE_ROLE=api", problems);
        Assert.Contains(problems, p => p.StartsWith("PIPELINE_DATA_BUCKET is required", StringComparison.Ordinal));
        Assert.DoesNotContain(problems, p => p.StartsWith("PIPELINE_EXPERIMENTS_TABLE", StringComparison.Ordinal));
    }

    [Fact]
    public void Bind_BanditUpdater_NeedsAwsModeItsTwoTablesAndItsPassThroughPath()
    {
        var missing = Bind(("PIPELINE_ROLE", "bandit-updater")).Problems;
        var complete = Bind(("PIPELINE_MODE", "aws"), ("PIPELINE_ROLE", "bandit-updater"), ("PIPELINE_EXPERIMENTS_TABLE", "e"),
            ("PIPELINE_AGGREGATES_TABLE", "a"), ("AWS_LWA_PASS_THROUGH_PATH", PassThroughPaths.BanditUpdater)).Problems;

        Assert.Equal([
            "PIPELINE_ROLE=bandit-updater runs only with PIPELINE_MODE=aws",
            "PIPELINE_EXPERIMENTS_TABLE is required for PIPELINE_ROLE=bandit-updater",
            "PIPELINE_AGGREGATES_TABLE is required for PIPELINE_ROLE=bandit-updater",
            "AWS_LWA_PASS_THROUGH_PATH must be /internal/bandit-updater for PIPELINE_ROLE=bandit-updater (got ''): the Web Adapter posts the invoke there",
        ], missing);
        Assert.Empty(complete);
    }

    [Fact]
    public void Bind_TrainerOnTheWrongPassThroughPath_IsRefused()
    {
        var problems = Bind(("PIPELINE_MODE", "aws"), ("PIPELINE_ROLE", "in-house-trainer"), ("PIPELINE_DATA_BUCKET", "b"),
            ("AWS_LWA_PASS_THROUGH_PATH", "/internal/metric-gate")).Problems;

        Assert.Equal("AWS_LWA_PASS_THROUGH_PATH must be /internal/in-house-trainer for PIPELINE_ROLE=in-house-trainer (got '/internal/metric-gate'): the Web Adapter posts the invoke there",
            Assert.Single(problems));
    }

    [Fact]
    public void Bind_ConsumerOutsideAwsMode_AndABadRefreshInterval_AreRefused()
    {
        var consumer = Bind(("PIPELINE_ROLE", "events-consumer"), ("PIPELINE_EVENTS_TABLE", "t"), ("PIPELINE_EXPOSURES_TABLE", "x"),
            ("PIPELINE_AGGREGATES_TABLE", "a"), ("AWS_LWA_PASS_THROUGH_PATH", "/internal/sqs-events")).Problems;
        var refresh = Bind(("PIPELINE_MODE", "aws"), ("PIPELINE_ROLE", "in-house-trainer"), ("PIPELINE_DATA_BUCKET", "b"),
            ("AWS_LWA_PASS_THROUGH_PATH", PassThroughPaths.InHouseTrainer), ("InHouseModels:RefreshSeconds", "0")).Problems;

        Assert.Equal("PIPELINE_ROLE=events-consumer runs only with PIPELINE_MODE=aws", Assert.Single(consumer));
        Assert.Equal("InHouseModels:RefreshSeconds must be > 0 (got 0)", Assert.Single(refresh));
    }

    private static readonly (string, string)[] AwsApi =
    [
        ("PIPELINE_MODE", "aws"), ("PIPELINE_EXPERIMENTS_TABLE", "e"), ("PIPELINE_ASSIGNMENTS_TABLE", "a"), ("PIPELINE_ITEMS_TABLE", "i"),
        ("PIPELINE_USERS_TABLE", "u"), ("PIPELINE_AGGREGATES_TABLE", "g"), ("PIPELINE_EVENTS_QUEUE_URL", "http://127.0.0.1:9/q"),
        ("PIPELINE_DATA_BUCKET", "b"), ("PIPELINE_TRAINING_STATE_MACHINE_ARN", "arn:aws:states:us-east-1:123456789012:stateMachine:t"),
    ];

    [Fact]
    public void Bind_AwsApiWithStateMachines_NeedsARegion_AndAScheduleEventBridgeWouldAccept()
    {
        var noRegion = Bind([.. AwsApi]).Problems;
        var badSchedule = Bind([.. AwsApi, ("AWS_REGION", "us-east-1"), ("PIPELINE_TRAINING_SCHEDULE", "cron(0 3 * * * *)")]).Problems;
        var fine = Bind([.. AwsApi, ("AWS_REGION", "us-east-1"), ("PIPELINE_TRAINING_SCHEDULE", "rate(1 day)")]).Problems;

        Assert.Equal("AWS_REGION is required when PIPELINE_TRAINING_STATE_MACHINE_ARN or PIPELINE_TEARDOWN_STATE_MACHINE_ARN is set: Step Functions is called in that region",
            Assert.Single(noRegion));
        Assert.StartsWith("PIPELINE_TRAINING_SCHEDULE: exactly one of Day-of-month and Day-of-week", Assert.Single(badSchedule), StringComparison.Ordinal);
        Assert.Empty(fine);
    }

    /// <summary>
    /// The process as Lambda starts it, with settings HostSettings refuses: the role, the rest of its environment (a null
    /// value unsets what the test machine may have set) and the problems the one line names.
    /// </summary>
    public static TheoryData<string, Dictionary<string, string?>, string> RefusedSettings => new()
    {
        {
            "in-house-trainer",
            new() { ["PIPELINE_MODE"] = "aws", ["PIPELINE_DATA_BUCKET"] = null, ["AWS_LWA_PASS_THROUGH_PATH"] = null },
            "AWS_LWA_PASS_THROUGH_PATH must be /internal/in-house-trainer for PIPELINE_ROLE=in-house-trainer (got ''): " +
            "the Web Adapter posts the invoke there; PIPELINE_DATA_BUCKET is required: the bucket the in-house models are written to and read from"
        },
        {
            "api",
            new(AwsApi.ToDictionary(s => s.Item1, s => (string?)s.Item2))
            {
                ["AWS_REGION"] = null, ["AWS_DEFAULT_REGION"] = null, ["AWS_LWA_PASS_THROUGH_PATH"] = null, ["PIPELINE_TRAINING_SCHEDULE"] = null,
            },
            "AWS_REGION is required when PIPELINE_TRAINING_STATE_MACHINE_ARN or PIPELINE_TEARDOWN_STATE_MACHINE_ARN is set: " +
            "Step Functions is called in that region"
        },
    };

    [Theory]
    [MemberData(nameof(RefusedSettings))]
    public async Task TheProcess_WithBadSettings_RefusesToStartWithOneLine_AndExitCode2(string role, Dictionary<string, string?> environment, string problems)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Pipeline.Api.dll"), "--urls", "http://127.0.0.1:0"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.Environment["PIPELINE_ROLE"] = role;
        foreach (var (name, value) in environment)
        {
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(2, process.ExitCode);
        Assert.Equal("", await output);
        Assert.Equal("Pipeline.Api refuses to start: " + problems, (await error).TrimEnd('\n'));
    }
}
