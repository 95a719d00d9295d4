namespace Pipeline.Api.Http;

/// <summary>A client that aborts or truncates its request is logged at Debug: it is the client's fault, not an error of the server.</summary>
public static partial class ClientAborts
{
    public static void Log(HttpContext context, Exception exception)
    {
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ClientAborts).FullName!);
        BodyAborted(logger, context.Request.Path, exception.Message);
    }

    [LoggerMessage(EventId = 1200, Level = LogLevel.Debug, Message = "The client's request body on {Path} ended early: {Reason}")]
    private static partial void BodyAborted(ILogger logger, string path, string reason);
}
