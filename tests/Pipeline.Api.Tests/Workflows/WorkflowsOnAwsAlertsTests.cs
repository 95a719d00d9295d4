using System.Globalization;
using System.Text.Json.Nodes;
using Pipeline.Api.Hosting;
using Pipeline.Api.Tests.Hosting;
using Pipeline.Api.Workflows;
using Pipeline.Domain.Workflows;

namespace Pipeline.Api.Tests.Workflows;

/// <summary>
/// Program.cs's API function in AWS mode (stores on moto_server) with its Step Functions calls sent to
/// <see cref="FakeStepFunctions"/> (AWS_ENDPOINT_URL_SFN): the console's "recent alerts" are the executions that ended
/// in a status the failure rule fires on, and the "next run" comes from the nightly rule's cron expression.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class WorkflowsOnAwsAlertsTests(MotoServer moto)
{
    private const string Account = "arn:aws:states:us-east-1:123456789012:stateMachine:";

    private ProgramHost Api(FakeStepFunctions fake, string schedule)
    {
        var prefix = $"a{Guid.NewGuid():N}"[..10];
        return new ProgramHost(new Dictionary<string, string?>(ProgramHost.OnMoto(moto))
        {
            ["PIPELINE_ROLE"] = PipelineRoles.Api,
            ["PIPELINE_EXPERIMENTS_TABLE"] = $"{prefix}-Experiments", ["PIPELINE_ASSIGNMENTS_TABLE"] = $"{prefix}-Assignments",
            ["PIPELINE_ITEMS_TABLE"] = $"{prefix}-Items", ["PIPELINE_USERS_TABLE"] = $"{prefix}-Users",
            ["PIPELINE_AGGREGATES_TABLE"] = $"{prefix}-Aggregates", ["PIPELINE_EVENTS_QUEUE_URL"] = $"{moto.Endpoint}000000000000/{prefix}",
            ["PIPELINE_DATA_BUCKET"] = $"{prefix}-data",
            [EnvironmentVariables.TrainingStateMachineArn] = Account + "pipeline-training",
            [EnvironmentVariables.TeardownStateMachineArn] = Account + "pipeline-teardown",
            [EnvironmentVariables.TrainingSchedule] = schedule,
            [StepFunctionsWorkflowsHosting.EndpointSetting] = fake.Endpoint.ToString(),
        });
    }

    [Fact]
    public async Task Alerts_OnAws_AreTheNewestFailedTimedOutAndAbortedExecutions_WithErrorAndCause()
    {
        await using var fake = await FakeStepFunctions.StartAsync();
        var t0 = DateTimeOffset.Parse("2026-11-01T03:00:00Z", CultureInfo.InvariantCulture);
        // Twelve failed nightly runs, one a day; then a timeout, an operator's abort of a teardown, a success and a run going on.
        for (var day = 0; day < 12; day++)
        {
            fake.AddExecution(Account + "pipeline-training", $"nightly-{day:D2}", "FAILED", t0.AddDays(day), t0.AddDays(day).AddMinutes(5),
                "Personalize.ResourceInUseException", $"dataset group busy on day {day}");
        }
        fake.AddExecution(Account + "pipeline-training", "slow", "TIMED_OUT", t0.AddDays(12), t0.AddDays(12).AddHours(6), "States.Timeout", "ran past TimeoutSeconds");
        fake.AddExecution(Account + "pipeline-teardown", "stopped", "ABORTED", t0.AddDays(12).AddHours(1), t0.AddDays(12).AddHours(2), "Operator.Stopped", "by hand");
        fake.AddExecution(Account + "pipeline-training", "good", "SUCCEEDED", t0.AddDays(13), t0.AddDays(13).AddMinutes(30));
        fake.AddExecution(Account + "pipeline-training", "going", "RUNNING", t0.AddDays(14), null);
        await using var api = Api(fake, "cron(0 3 * * ? *)");
        using var client = api.CreateClient();

        var body = JsonNode.Parse(await client.GetStringAsync("/workflows"))!;

        var alerts = body["alerts"]!.AsArray().Select(a => a!.AsObject()).ToList();
        // Ten, newest stop first: the timeout (stopped 09:00 on day 12) before the abort (05:00), then the failures from day 11 down.
        Assert.Equal(["slow", "stopped", "nightly-11", "nightly-10", "nightly-09", "nightly-08", "nightly-07", "nightly-06", "nightly-05", "nightly-04"],
            alerts.Select(a => a["name"]!.GetValue<string>()));
        var timedOut = alerts[0];
        Assert.Equal(("training", "TIMED_OUT", "States.Timeout", "ran past TimeoutSeconds"),
            (timedOut["stateMachine"]!.GetValue<string>(), timedOut["status"]!.GetValue<string>(), timedOut["error"]!.GetValue<string>(), timedOut["cause"]!.GetValue<string>()));
        Assert.Equal(t0.AddDays(12).AddHours(6), DateTimeOffset.Parse(timedOut["time"]!.GetValue<string>(), CultureInfo.InvariantCulture));
        var aborted = alerts[1];
        Assert.Equal(("teardown", "ABORTED", "Operator.Stopped", "by hand"),
            (aborted["stateMachine"]!.GetValue<string>(), aborted["status"]!.GetValue<string>(), aborted["error"]!.GetValue<string>(), aborted["cause"]!.GetValue<string>()));
        // The message is the failure rule's text (what the SNS topic delivered).
        Assert.Equal($"Execution stopped of {Account}pipeline-teardown ended ABORTED: Operator.Stopped by hand", aborted["message"]!.GetValue<string>());
        Assert.Equal("dataset group busy on day 11", alerts[2]["cause"]!.GetValue<string>());
        // Asked per machine and per status of the failure rule, never the whole history; described only the ten shown.
        var filtered = fake.Calls.Where(c => c.Operation == "ListExecutions" && c.Body["statusFilter"] is not null).ToList();
        Assert.Equal(
            WorkflowAlerts.FailedStatuses.SelectMany(s => new[] { $"pipeline-training {s}", $"pipeline-teardown {s}" }).Order(StringComparer.Ordinal),
            filtered.Select(c => $"{c.Body["stateMachineArn"]!.GetValue<string>()[Account.Length..]} {c.Body["statusFilter"]!.GetValue<string>()}").Order(StringComparer.Ordinal));
        Assert.All(filtered, c => Assert.Equal(10, c.Body["maxResults"]!.GetValue<int>()));
        Assert.DoesNotContain(alerts, a => a["name"]!.GetValue<string>() is "good" or "going");
        // The executions list too carries what only DescribeExecution gives (the Error column).
        var listed = body["executions"]!.AsArray().Single(e => e!["name"]!.GetValue<string>() == "nightly-00")!;
        Assert.Equal(("Personalize.ResourceInUseException", "dataset group busy on day 0"), (listed["error"]!.GetValue<string>(), listed["cause"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Schedule_OnAws_GivesTheCronRulesNextRun_AndNoneForARate()
    {
        await using var fake = await FakeStepFunctions.StartAsync();
        var before = DateTimeOffset.UtcNow;
        await using (var cron = Api(fake, "cron(30 4 * * ? *)"))
        {
            using var client = cron.CreateClient();
            var body = JsonNode.Parse(await client.GetStringAsync("/workflows"))!;
            var after = DateTimeOffset.UtcNow;

            var schedule = body["schedule"]!;
            Assert.Equal("cron(30 4 * * ? *)", schedule["scheduleExpression"]!.GetValue<string>());
            var next = DateTimeOffset.Parse(schedule["nextRun"]!.GetValue<string>(), CultureInfo.InvariantCulture);
            // 04:30 UTC, the first one after the request.
            Assert.Equal(new TimeSpan(4, 30, 0), next.UtcDateTime.TimeOfDay);
            Assert.InRange(next, before, after.AddDays(1));
            Assert.Empty(body["alerts"]!.AsArray());
            Assert.Contains("FAILED, TIMED_OUT, ABORTED", body["alertsNote"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        await using var rate = Api(fake, "rate(1 day)");
        using var rateClient = rate.CreateClient();
        var rateSchedule = JsonNode.Parse(await rateClient.GetStringAsync("/workflows"))!["schedule"]!;

        // A rate counts from the rule's creation, which the API is not told: no guess.
        Assert.Equal("rate(1 day)", rateSchedule["scheduleExpression"]!.GetValue<string>());
        Assert.Null(rateSchedule["nextRun"]);
    }
}
