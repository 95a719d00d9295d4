using Amazon.CDK.AWS.StepFunctions;
using Amazon.CDK.AWS.StepFunctions.Tasks;

namespace Pipeline.Workflows;

/// <summary>
/// The online gate (input <c>online_gate</c>, with <c>experiment</c>): promote on live evidence, not on the offline metric
/// alone. Its settings are checked before any call (ValidateOnlineGate); after every recipe has trained, the recipe the
/// gate names (default: the run's first) enters the experiment as variant <c>challenger</c> at <c>weight</c>, when the
/// offline gate promoted it (EnterChallenger). Then Wait(poll_seconds) and a decision (OnlineGate) from the experiment's
/// results, until it says promote (PromoteChallenger: the control variant takes the challenger's recipe and campaign)
/// or roll back (RollBackChallenger: the challenger leaves; an alert goes to the topic); a gate that fails once the
/// challenger is in withdraws it (WithdrawChallenger) before the run fails. Every step is one function,
/// Pipeline.Api's OnlineGateFunction (action enter, decide, promote, rollback), the same class on one machine.
/// The execution's output gains <c>online_gate_result</c>.
/// </summary>
public sealed partial class TrainingStateMachine
{
    /// <summary>The Task state that decides (the local stack registers the handler under that state's FunctionName).</summary>
    public const string OnlineGateState = Definitions.TrainingDefinition.OnlineGateState;

    private static readonly string[] EnterMembers = ["status", "reason", "settings", "recipe", "challenger", "control", "campaign", "phase", "error"];
    private static readonly string[] DecideMembers = ["decision", "reason", "metric", "control_users", "challenger_users", "lift", "sequential_low", "sequential_high", "elapsed_days", "error"];
    private static readonly string[] LeaveMembers = ["status", "reason", "control", "recipe", "campaign", "phase", "error"];

    /// <summary>Before any call: a malformed online_gate fails the run in ValidateOnlineGate naming every bad field.</summary>
    private IChainable ValidateOnlineGate(IChainable next, IChainable notifyAndFail)
    {
        var invalid = new Pass(this, "InvalidOnlineGate", new PassProps
        {
            Parameters = new Dictionary<string, object>
            {
                ["State"] = "ValidateOnlineGate",
                ["Error"] = "Pipeline.InvalidInput",
                ["Cause"] = JsonPath.StringAt("$.onlineGateCheck.reason"),
            },
            ResultPath = "$.error",
        });
        invalid.Next(notifyAndFail);
        var validate = Gate("ValidateOnlineGate", new Dictionary<string, object>
        {
            ["action"] = "validate",
            ["experiment"] = JsonPath.StringAt("$.experiment"),
            ["settings"] = JsonPath.StringAt("$.online_gate"),
        }, ["settings", "error", "reason"], "$.onlineGateCheck", notifyAndFail);
        validate.Next(new Choice(this, "OnlineGateValid")
            .When(Condition.IsString("$.onlineGateCheck.error"), invalid)
            .Otherwise(next));
        return new Choice(this, "OnlineGateGiven")
            .When(Condition.IsPresent("$.online_gate"), validate)
            .Otherwise(next);
    }

    /// <summary>After the recipes: the challenger enters, the loop decides, the challenger is promoted or rolled back.</summary>
    private IChainable OnlineGate(IChainable succeeded, IChainable notifyAndFail)
    {
        var experiment = JsonPath.StringAt("$.experiment");
        var withdrawAndFail = WithdrawChallenger(experiment, notifyAndFail);

        Pass Failed(string state, string answer, IChainable next)
        {
            var pass = new Pass(this, state + "Failed", new PassProps
            {
                Parameters = new Dictionary<string, object>
                {
                    ["State"] = state,
                    ["Error"] = JsonPath.StringAt($"{answer}.error"),
                    ["Cause"] = JsonPath.StringAt($"{answer}.reason"),
                },
                ResultPath = "$.error",
            });
            pass.Next(next);
            return pass;
        }

        // The run's output once the challenger has left: what was decided and what the experiment became.
        Pass Outcome(string id, string status, IChainable next)
        {
            var outcome = new Pass(this, id, new PassProps
            {
                Parameters = new Dictionary<string, object>
                {
                    ["status"] = status,
                    ["recipe"] = JsonPath.StringAt("$.onlineGate.recipe"),
                    ["campaign"] = JsonPath.StringAt("$.onlineGate.campaign"),
                    ["decision"] = JsonPath.StringAt("$.onlineGateDecision"),
                    ["experiment"] = JsonPath.StringAt("$.onlineGateOutcome"),
                    ["polls"] = JsonPath.NumberAt("$.onlineGatePolls.count"),
                },
                ResultPath = "$.online_gate_result",
            });
            outcome.Next(next);
            return outcome;
        }
        LambdaInvoke Leave(string id, string action, string checkId, IChainable outcome)
        {
            var leave = Gate(id, LeavePayload(action, experiment), LeaveMembers, "$.onlineGateOutcome", withdrawAndFail);
            leave.Next(new Choice(this, checkId)
                .When(Condition.IsString("$.onlineGateOutcome.error"), Failed(id, "$.onlineGateOutcome", withdrawAndFail))
                .Otherwise(outcome));
            return leave;
        }

        // Promote: the control serves the challenger's model from now on.
        var promote = Leave("PromoteChallenger", "promote", "ChallengerPromoted", Outcome("OnlineGatePromoted", "PROMOTED", succeeded));

        // Roll back: the challenger leaves, and the alert topic hears why (the run itself succeeds: nothing failed).
        var alert = new SnsPublish(this, "NotifyOnlineGateRollBack", new SnsPublishProps
        {
            Topic = _props.AlertTopic,
            Subject = "Pipeline online gate rolled back a model",
            Message = TaskInput.FromObject(new Dictionary<string, object>
            {
                ["stateMachine"] = JsonPath.StringAt("$$.StateMachine.Name"),
                ["execution"] = JsonPath.StringAt("$$.Execution.Id"),
                ["failedState"] = OnlineGateState,
                ["experiment"] = experiment,
                ["online_gate_result"] = JsonPath.StringAt("$.online_gate_result"),
            }),
            ResultPath = JsonPath.DISCARD,
        });
        // The rollback is done whether or not the alert goes out (the run's output still says ROLLED_BACK).
        alert.AddCatch(succeeded, new CatchProps { Errors = [Errors.ALL], ResultPath = JsonPath.DISCARD });
        alert.Next(succeeded);
        var rollBack = Leave("RollBackChallenger", "rollback", "ChallengerRolledBack", Outcome("OnlineGateRolledBack", "ROLLED_BACK", alert));

        // The loop: wait, count the poll (elapsed workflow time = polls × poll_seconds), decide.
        var wait = new Wait(this, "WaitForLiveEvidence", new WaitProps { Time = WaitTime.SecondsPath("$.onlineGate.settings.poll_seconds") });
        var count = new Pass(this, "CountOnlineGatePoll", new PassProps
        {
            Parameters = new Dictionary<string, object> { ["count"] = JsonPath.MathAdd(JsonPath.NumberAt("$.onlineGatePolls.count"), 1) },
            ResultPath = "$.onlineGatePolls",
        });
        var decide = Gate(OnlineGateState, new Dictionary<string, object>
        {
            ["action"] = "decide",
            ["experiment"] = experiment,
            ["challenger"] = JsonPath.StringAt("$.onlineGate.challenger"),
            ["phase"] = JsonPath.NumberAt("$.onlineGate.phase"),
            ["settings"] = JsonPath.StringAt("$.onlineGate.settings"),
            ["polls"] = JsonPath.NumberAt("$.onlineGatePolls.count"),
        }, DecideMembers, "$.onlineGateDecision", withdrawAndFail);
        wait.Next(count).Next(decide).Next(new Choice(this, "OnlineGateDecision")
            .When(Condition.IsString("$.onlineGateDecision.error"), Failed(OnlineGateState, "$.onlineGateDecision", withdrawAndFail))
            .When(Condition.StringEquals("$.onlineGateDecision.decision", "promote"), promote)
            .When(Condition.StringEquals("$.onlineGateDecision.decision", "rollback"), rollBack)
            .Otherwise(wait));

        var startPolls = new Pass(this, "StartOnlineGatePolls", new PassProps
        {
            Result = Result.FromObject(new Dictionary<string, object> { ["count"] = 0 }),
            ResultPath = "$.onlineGatePolls",
        });
        startPolls.Next(wait);
        var skipped = new Pass(this, "OnlineGateSkipped", new PassProps
        {
            Comment = "The offline gate kept the served version: there is no challenger to try",
            Parameters = new Dictionary<string, object>
            {
                ["status"] = "SKIPPED",
                ["recipe"] = JsonPath.StringAt("$.onlineGate.recipe"),
                ["reason"] = JsonPath.StringAt("$.onlineGate.reason"),
            },
            ResultPath = "$.online_gate_result",
        });
        skipped.Next(succeeded);
        var enter = Gate("EnterChallenger", new Dictionary<string, object>
        {
            ["action"] = "enter",
            ["experiment"] = experiment,
            ["settings"] = JsonPath.StringAt("$.online_gate"),
            ["recipes"] = JsonPath.StringAt("$.recipes"),
            ["results"] = JsonPath.StringAt("$.results"),
        }, EnterMembers, "$.onlineGate", notifyAndFail);
        enter.Next(new Choice(this, "ChallengerEntered")
            .When(Condition.IsString("$.onlineGate.error"), Failed("EnterChallenger", "$.onlineGate", notifyAndFail))
            .When(Condition.StringEquals("$.onlineGate.status", "ENTERED"), startPolls)
            .Otherwise(skipped));

        return new Choice(this, "OnlineGateRequested")
            .When(Condition.IsPresent("$.online_gate"), enter)
            .Otherwise(succeeded);
    }

    /// <summary>
    /// Once the challenger is in, a failed gate (an error in OnlineGate, PromoteChallenger or RollBackChallenger) must not
    /// leave it serving its share with nothing deciding for it: it leaves as a rollback would, then the run fails and
    /// alerts with the gate's error (the withdrawal's own answer is discarded; if it fails too, the next gated run's
    /// EnterChallenger removes the leftover).
    /// </summary>
    private LambdaInvoke WithdrawChallenger(string experiment, IChainable notifyAndFail)
    {
        var withdraw = new LambdaInvoke(this, "WithdrawChallenger", new LambdaInvokeProps
        {
            LambdaFunction = _props.OnlineGate,
            Payload = TaskInput.FromObject(LeavePayload("rollback", experiment)),
            ResultPath = JsonPath.DISCARD,
        });
        withdraw.AddCatch(notifyAndFail, new CatchProps { Errors = [Errors.ALL], ResultPath = JsonPath.DISCARD });
        withdraw.Next(notifyAndFail);
        return withdraw;
    }

    /// <summary>The gate function's input for the challenger to leave (<c>promote</c> or <c>rollback</c>).</summary>
    private static Dictionary<string, object> LeavePayload(string action, string experiment) => new()
    {
        ["action"] = action,
        ["experiment"] = experiment,
        ["challenger"] = JsonPath.StringAt("$.onlineGate.challenger"),
    };

    /// <summary>One invoke of the online gate function; its answer's members (all always present) land at <paramref name="resultPath"/>.</summary>
    private LambdaInvoke Gate(string id, Dictionary<string, object> payload, string[] members, string resultPath, IChainable notifyAndFail)
    {
        var invoke = new LambdaInvoke(this, id, new LambdaInvokeProps
        {
            LambdaFunction = _props.OnlineGate,
            Payload = TaskInput.FromObject(payload),
            ResultSelector = members.ToDictionary(m => m, m => (object)JsonPath.StringAt("$.Payload." + m)),
            ResultPath = resultPath,
        });
        // Lambda's own transient errors are retried by LambdaInvoke's default retrier; anything else fails the run.
        invoke.AddCatch(RecordError(id, notifyAndFail), new CatchProps { Errors = [Errors.ALL], ResultPath = "$.error" });
        return invoke;
    }
}
