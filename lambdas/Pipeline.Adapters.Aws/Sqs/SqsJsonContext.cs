using System.Text.Json.Serialization;
using Pipeline.Domain.Events;

namespace Pipeline.Adapters.Aws.Sqs;

/// <summary>The queue's JSON, serialized without reflection (the API Lambda is published with Native AOT).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(InteractionEvent))]
[JsonSerializable(typeof(ExposureMessage))]
[JsonSerializable(typeof(SqsLambdaEvent))]
[JsonSerializable(typeof(SqsBatchResponse))]
public sealed partial class SqsJsonContext : JsonSerializerContext;
