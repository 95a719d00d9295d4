namespace Pipeline.Personalize.Local.Errors;

/// <summary>
/// An error as Personalize reports it: the error type becomes the wire's <c>__type</c> (and x-amzn-ErrorType),
/// so SDKs and the AWS CLI raise the exception class they know. All are client errors (HTTP 400).
/// </summary>
public sealed class PersonalizeException(string errorType, string message) : Exception(message)
{
    public string ErrorType { get; } = errorType;

    public static PersonalizeException NotFound(string arn) =>
        new(ErrorTypes.ResourceNotFound, $"Resource {arn} does not exist.");

    public static PersonalizeException AlreadyExists(string arn) =>
        new(ErrorTypes.ResourceAlreadyExists, $"Resource {arn} already exists.");

    public static PersonalizeException InUse(string message) => new(ErrorTypes.ResourceInUse, message);

    public static PersonalizeException InvalidInput(string message) => new(ErrorTypes.InvalidInput, message);

    public static PersonalizeException LimitExceeded(string message) => new(ErrorTypes.LimitExceeded, message);
}
