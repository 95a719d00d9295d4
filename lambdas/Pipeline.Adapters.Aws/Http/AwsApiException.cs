using System.Net;

namespace Pipeline.Adapters.Aws.Http;

/// <summary>An error answer of an AWS API called without the SDK: its error code (e.g. ResourceNotFoundException) and message.</summary>
public sealed class AwsApiException(string errorCode, string message, HttpStatusCode statusCode)
    : Exception($"{errorCode}: {message}")
{
    public string ErrorCode { get; } = errorCode;
    public HttpStatusCode StatusCode { get; } = statusCode;
}
