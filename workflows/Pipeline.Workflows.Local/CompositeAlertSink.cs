namespace Pipeline.Workflows.Local;

/// <summary>Hands each alert to every sink in turn (the log, then the webhook), as a topic with several subscriptions.</summary>
public sealed class CompositeAlertSink(params IReadOnlyList<IAlertSink> sinks) : IAlertSink
{
    public IReadOnlyList<IAlertSink> Sinks { get; } = sinks;

    public async Task PublishAsync(Alert alert, CancellationToken cancellationToken)
    {
        foreach (var sink in Sinks)
        {
            await sink.PublishAsync(alert, cancellationToken);
        }
    }
}
