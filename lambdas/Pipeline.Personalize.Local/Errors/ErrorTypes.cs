namespace Pipeline.Personalize.Local.Errors;

/// <summary>The error shape names of Personalize's service models (botocore maps them to exception classes).</summary>
public static class ErrorTypes
{
    public const string ResourceNotFound = "ResourceNotFoundException";
    public const string ResourceAlreadyExists = "ResourceAlreadyExistsException";
    public const string ResourceInUse = "ResourceInUseException";
    public const string InvalidInput = "InvalidInputException";
    public const string LimitExceeded = "LimitExceededException";
    public const string InvalidNextToken = "InvalidNextTokenException";

    /// <summary>What AWS JSON services answer to a body that is not JSON.</summary>
    public const string Serialization = "SerializationException";

    /// <summary>What AWS JSON services answer to an X-Amz-Target they do not implement.</summary>
    public const string UnknownOperation = "UnknownOperationException";
}
