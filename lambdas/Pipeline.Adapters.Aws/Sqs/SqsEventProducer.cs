using System.Globalization;
using System.Text.Json;
using Amazon.SQS;
using Amazon.SQS.Model;
using Pipeline.Domain.Events;

namespace Pipeline.Adapters.Aws.Sqs;

/// <summary>
/// Puts interaction events and exposures on the events queue, one JSON message each, ten per SendMessageBatch call.
/// Entries SQS rejects for its own reasons are resent; a message is only reported sent once SQS has it.
/// </summary>
public sealed class SqsEventProducer(IAmazonSQS sqs, string queueUrl)
{
    private const int MaxBatch = 10;
    private const int MaxAttempts = 4;

    public Task SendAsync(IReadOnlyCollection<InteractionEvent> events, CancellationToken cancellationToken = default) =>
        SendBodiesAsync([.. events.Select(e => JsonSerializer.Serialize(e, SqsJsonContext.Default.InteractionEvent))], cancellationToken);

    public Task SendExposureAsync(ExposureMessage exposure, CancellationToken cancellationToken = default) =>
        SendBodiesAsync([JsonSerializer.Serialize(exposure, SqsJsonContext.Default.ExposureMessage)], cancellationToken);

    private async Task SendBodiesAsync(IReadOnlyList<string> bodies, CancellationToken cancellationToken)
    {
        foreach (var chunk in bodies.Chunk(MaxBatch))
        {
            // Entry ids only have to be unique within one call.
            var pending = chunk.Select((body, i) => new SendMessageBatchRequestEntry
            {
                Id = i.ToString(CultureInfo.InvariantCulture),
                MessageBody = body,
            }).ToList();
            for (var attempt = 1; pending.Count > 0; attempt++)
            {
                var response = await sqs.SendMessageBatchAsync(new SendMessageBatchRequest { QueueUrl = queueUrl, Entries = pending }, cancellationToken);
                var failed = response.Failed ?? [];
                var permanent = failed.Where(f => f.SenderFault == true).ToList();
                if (permanent.Count > 0 || (failed.Count > 0 && attempt == MaxAttempts))
                {
                    var first = failed[0];
                    throw new InvalidOperationException(
                        $"SQS refused {failed.Count} of {pending.Count} messages ({first.Code}: {first.Message}).");
                }
                var retry = failed.Select(f => f.Id).ToHashSet(StringComparer.Ordinal);
                pending = [.. pending.Where(entry => retry.Contains(entry.Id))];
                if (pending.Count > 0)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(50 * Math.Pow(2, attempt)), cancellationToken);
                }
            }
        }
    }
}
