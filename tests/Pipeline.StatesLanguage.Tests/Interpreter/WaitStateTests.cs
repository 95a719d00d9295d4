using Pipeline.StatesLanguage.Interpreter;
using Pipeline.StatesLanguage.Tests.Hosting;

namespace Pipeline.StatesLanguage.Tests.Interpreter;

public class WaitStateTests
{
    private readonly WorkflowHost _host = new();

    private static string WaitThenDone(string wait) => $$"""
        { "StartAt": "Wait", "States": {
            "Wait": { "Type": "Wait", {{wait}}, "Next": "Done" },
            "Done": { "Type": "Succeed" } } }
        """;

    private static TimeSpan WaitDuration(Execution execution) =>
        execution.OfType("WaitStateExited").Single().Timestamp - execution.OfType("WaitStateEntered").Single().Timestamp;

    [Fact]
    public void Seconds_WaitsThatLongOnTheClock()
    {
        var execution = _host.Run(WaitThenDone("\"Seconds\": 3600"));

        Assert.Equal(ExecutionStatus.Succeeded, execution.Status);
        Assert.Equal(TimeSpan.FromHours(1), WaitDuration(execution));
    }

    [Fact]
    public void SecondsPath_ReadsTheDurationFromTheInput()
    {
        var execution = _host.Run(WaitThenDone("\"SecondsPath\": \"$.delay\""), """{"delay": 90}""");

        Assert.Equal(TimeSpan.FromSeconds(90), WaitDuration(execution));
        Assert.Equal("""{"delay":90}""", execution.Json());
    }

    [Fact]
    public void Timestamp_WaitsUntilThatInstant()
    {
        var execution = _host.Run(WaitThenDone("\"Timestamp\": \"2024-01-01T06:30:00Z\""));

        Assert.Equal(new DateTimeOffset(2024, 1, 1, 6, 30, 0, TimeSpan.Zero), execution.OfType("WaitStateExited").Single().Timestamp);
    }

    [Fact]
    public void TimestampPath_ReadsTheInstantFromTheInput()
    {
        var execution = _host.Run(WaitThenDone("\"TimestampPath\": \"$.until\""), """{"until": "2024-01-02T00:00:00+01:00"}""");

        Assert.Equal(TimeSpan.FromHours(23), WaitDuration(execution));
    }

    [Fact]
    public void Timestamp_InThePast_DoesNotWait()
    {
        var execution = _host.Run(WaitThenDone("\"Timestamp\": \"2020-01-01T00:00:00Z\""));

        Assert.Equal(TimeSpan.Zero, WaitDuration(execution));
    }

    [Fact]
    public void SecondsPath_ThatIsNotANumber_IsARuntimeError()
    {
        var execution = _host.Run(WaitThenDone("\"SecondsPath\": \"$.delay\""), """{"delay": "soon"}""");

        Assert.Equal(ExecutionStatus.Failed, execution.Status);
        Assert.Equal("States.Runtime", execution.Error);
    }

    [Fact]
    public void WaitScale_CompressesTheRealWaitButNotTheWorkflowLogic()
    {
        var host = new WorkflowHost { WaitScale = 0.001 };
        var execution = host.Run(WaitThenDone("\"Seconds\": 3600"));

        Assert.Equal(ExecutionStatus.Succeeded, execution.Status);
        Assert.Equal(TimeSpan.FromSeconds(3.6), host.Clock.Elapsed);
    }
}
