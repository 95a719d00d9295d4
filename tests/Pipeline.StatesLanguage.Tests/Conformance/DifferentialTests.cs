using System.Text.Json.Nodes;
using Pipeline.StatesLanguage.Tests.Hosting;

namespace Pipeline.StatesLanguage.Tests.Conformance;

/// <summary>
/// Runs each definition of Conformance/Definitions with each of its inputs on moto_server's Step Functions executor
/// and on this interpreter, and compares status, output, error, cause and the history's event types. Where moto
/// departs from AWS's documented behaviour, <see cref="MotoDeviations"/> names the case and AWS's answer, and the
/// test asserts that this interpreter gives AWS's answer and that moto still differs.
/// </summary>
public sealed class DifferentialTests(MotoStepFunctions moto) : IClassFixture<MotoStepFunctions>
{
    public static TheoryData<string> Cases => new(DifferentialCase.All().Select(c => c.Id));

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task MotoAndTheInterpreter_AgreeOnStatusOutputErrorAndHistory(string id)
    {
        var @case = DifferentialCase.All().Single(c => c.Id == id);
        var name = $"{@case.Name}-{@case.InputIndex}";

        var theirs = await RunOnMotoAsync(@case, name);
        var ours = RunHere(@case, name);

        var deviation = MotoDeviations.For(id);
        var expected = deviation is null ? theirs : deviation.AwsBehaviour(theirs);
        if (deviation is not null)
        {
            Assert.True(!Same(theirs, expected),
                $"moto now behaves as AWS documents for {id} ({deviation.Behaviour}): remove it from MotoDeviations.");
        }
        Assert.True(Same(expected, ours), $"""
            {id}: this interpreter differs from {(deviation is null ? "moto" : "AWS's documented behaviour")}.
            expected: {expected}
            ours:     {ours}
            """);
    }

    [Fact]
    public void EveryKnownMotoDeviation_NamesAnExistingCaseAndAnAWSDocument()
    {
        var ids = DifferentialCase.All().Select(c => c.Id).ToHashSet();
        Assert.All(MotoDeviations.CaseIds, id =>
        {
            Assert.Contains(id, ids);
            Assert.StartsWith("https://docs.aws.amazon.com/", MotoDeviations.For(id)!.Documentation, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void EveryDefinition_HasInputsAndTheCasesCoverEachStateType()
    {
        var cases = DifferentialCase.All().ToList();
        var types = cases
            .SelectMany(c => StateTypes(JsonNode.Parse(c.Definition)!))
            .ToHashSet();

        Assert.True(cases.Count >= 10, $"only {cases.Count} cases");
        Assert.Superset(new HashSet<string> { "Pass", "Choice", "Map", "Parallel", "Wait", "Succeed", "Fail" }, types);
    }

    private async Task<ExecutionOutcome> RunOnMotoAsync(DifferentialCase @case, string name)
    {
        var (description, history) = await moto.RunAsync(name, @case.Definition, @case.Input);
        return ExecutionOutcome.FromDescription(description, history);
    }

    private static ExecutionOutcome RunHere(DifferentialCase @case, string name)
    {
        // Same state machine and execution names as on moto, so `$$` agrees.
        var host = new WorkflowHost { StateMachineName = name };
        return ExecutionOutcome.FromExecution(host.Run(@case.Definition, @case.Input, name));
    }

    private static bool Same(ExecutionOutcome a, ExecutionOutcome b) =>
        a.Status == b.Status && a.Error == b.Error && a.Cause == b.Cause && (a.OutputText is null) == (b.OutputText is null) && JsonNode.DeepEquals(a.Output, b.Output) && a.History.SequenceEqual(b.History);

    private static IEnumerable<string> StateTypes(JsonNode machine)
    {
        foreach (var (_, state) in machine["States"]!.AsObject())
        {
            yield return (string)state!["Type"]!;
            var nested = (state["Branches"]?.AsArray().Select(b => b!) ?? [])
                .Concat(new[] { state["ItemProcessor"], state["Iterator"] }.OfType<JsonNode>());
            foreach (var type in nested.SelectMany(StateTypes))
            {
                yield return type;
            }
        }
    }
}
