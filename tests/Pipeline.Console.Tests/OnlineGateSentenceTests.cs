using System.Text.Json.Nodes;

namespace Pipeline.Console.Tests;

/// <summary>
/// The execution page's gate sentence (assets/online-gate.js) for the outcomes a short run on the shared stack does not
/// reach: the module is imported in a console page and given executions shaped as the API returns them (input and output
/// as JSON text, history events as GetExecutionHistory's; the reasons are the gate's own wording).
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class OnlineGateSentenceTests(ConsoleStack stack)
{
    private const string Campaign = "arn:aws:personalize:us-east-1:000000000000:campaign/pipeline-aws-user-personalization";

    private static readonly (string Name, string Execution, string? Expected)[] Cases =
    [
        (
            "promoted",
            Execution("SUCCEEDED", new() { ["experiment"] = "gate", ["online_gate"] = new JsonObject { ["recipe"] = "aws-user-personalization" } },
                output: Result(new()
                {
                    ["status"] = "PROMOTED", ["recipe"] = "aws-user-personalization", ["campaign"] = Campaign, ["polls"] = 8,
                    ["decision"] = new JsonObject { ["decision"] = "promote", ["reason"] = "ctr: challenger beats popularity (sequential interval of the relative lift [0.051, 0.799]) with 220 users" },
                    ["experiment"] = new JsonObject { ["control"] = "popularity" },
                })),
            "Promoted: ctr: challenger beats popularity (sequential interval of the relative lift [0.051, 0.799]) with 220 users. " +
            $"The control popularity of experiment gate now serves aws-user-personalization ({Campaign}); the challenger left."
        ),
        (
            "skipped",
            Execution("SUCCEEDED", Input(), output: Result(new() { ["status"] = "SKIPPED", ["recipe"] = "aws-popularity-count", ["reason"] = "the offline gate kept the served version" })),
            "Skipped: the offline gate kept the served version. No challenger entered experiment gate."
        ),
        (
            "failed in the gate, withdrawn",
            Execution("FAILED", Input(), history: [Entered()], path: [Failed("OnlineGate", "Pipeline.OnlineGateFailed", "re-versioned by hand"), State("WithdrawChallenger")]),
            "Failed in OnlineGate (Pipeline.OnlineGateFailed: re-versioned by hand); the challenger aws-popularity-count was withdrawn from experiment gate (WithdrawChallenger) before the run failed."
        ),
        (
            "failed before entering",
            Execution("FAILED", Input(), path: [Failed("ValidateOnlineGate", "Pipeline.InvalidInput", "online_gate.weight must be a number in (0, 0.5]")]),
            "Failed in ValidateOnlineGate (Pipeline.InvalidInput: online_gate.weight must be a number in (0, 0.5]) before a challenger entered experiment gate: the experiment is unchanged."
        ),
        (
            "aborted while waiting",
            Execution("ABORTED", Input(), history: [Entered()]),
            "The run ended ABORTED while the gate waited: the challenger aws-popularity-count stays in experiment gate at its weight until the next gated run's EnterChallenger removes it."
        ),
        (
            "training",
            Execution("RUNNING", Input()),
            "Training first: the challenger aws-popularity-count enters experiment gate once the offline gate has promoted it."
        ),
        (
            "waiting",
            Execution("RUNNING", Input(), history: [Entered(), Exited("OnlineGate", new()
            {
                ["onlineGatePolls"] = new JsonObject { ["count"] = 2 },
                ["onlineGateDecision"] = new JsonObject { ["decision"] = "wait", ["reason"] = "ctr: no evidence yet (no sequential interval yet; 0 users)", ["elapsed_days"] = 200 / 86400.0 },
            })]),
            "Waiting: ctr: no evidence yet (no sequential interval yet; 0 users) (after poll 2, 0.0023 days of workflow time)."
        ),
        (
            "no online gate",
            Execution("SUCCEEDED", new() { ["dataset_group"] = "pipeline" }),
            null
        ),
    ];

    [Fact]
    public async Task GateSentence_ForEachWayARunGoesOrEnds_SaysItInWords()
    {
        var errors = new List<string>();
        // One page for every case: the module is pure, and a page per case would add a second each to the suite.
        var page = await stack.NewPageAsync(errors);
        await page.GotoAsync(new Uri(stack.BaseUrl, "console/workflows").ToString());
        foreach (var (name, execution, expected) in Cases)
        {
            var sentence = await page.EvaluateAsync<string?>(
                """
                async text => {
                  const { onlineGate, gateSentence } = await import(document.body.dataset.root + 'console/assets/online-gate.js');
                  const execution = JSON.parse(text);
                  const gate = onlineGate(execution, execution.path ?? []);
                  return gate && gateSentence(gate);
                }
                """, execution);
            Assert.True(expected == sentence, $"{name}:\n expected: {expected}\n shown:    {sentence}");
        }
        Assert.Empty(errors);
        await page.CloseAsync();
    }

    private static JsonObject Input() => new()
    {
        ["experiment"] = "gate",
        ["recipes"] = new JsonArray("aws-popularity-count"),
        ["online_gate"] = new JsonObject { ["recipe"] = "aws-popularity-count", ["weight"] = 0.3 },
    };

    /// <summary>As the API answers: input and output are JSON text; <c>path</c> stands for the page's statePath(history).</summary>
    private static string Execution(string status, JsonObject input, JsonObject? output = null, JsonNode[]? history = null, JsonNode[]? path = null)
    {
        var execution = new JsonObject { ["status"] = status, ["input"] = input.ToJsonString(), ["history"] = new JsonArray(history ?? []) };
        if (output is not null) execution["output"] = output.ToJsonString();
        if (path is not null) execution["path"] = new JsonArray(path);
        return execution.ToJsonString();
    }

    private static JsonObject Result(JsonObject result) => new() { ["online_gate_result"] = result };

    private static JsonNode Failed(string state, string error, string cause) =>
        new JsonObject { ["name"] = state, ["outcome"] = "failed", ["error"] = error, ["cause"] = cause };

    private static JsonNode State(string state) => new JsonObject { ["name"] = state, ["outcome"] = "exited" };

    /// <summary>A GetExecutionHistory event: the state's output (the whole state after its ResultPath) as JSON text.</summary>
    private static JsonNode Exited(string state, JsonObject output) => new JsonObject
    {
        ["type"] = "TaskStateExited",
        ["stateExitedEventDetails"] = new JsonObject { ["name"] = state, ["output"] = output.ToJsonString() },
    };

    private static JsonNode Entered() => Exited("EnterChallenger", new()
    {
        ["onlineGate"] = new JsonObject
        {
            ["status"] = "ENTERED", ["recipe"] = "aws-popularity-count", ["challenger"] = "challenger",
            ["settings"] = new JsonObject { ["recipe"] = "aws-popularity-count", ["weight"] = 0.3, ["metric"] = "ctr", ["poll_seconds"] = 100 },
        },
    });
}
