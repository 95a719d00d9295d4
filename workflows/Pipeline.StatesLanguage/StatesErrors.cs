namespace Pipeline.StatesLanguage;

/// <summary>The predefined error names of the Amazon States Language (States Language spec, appendix A).</summary>
public static class StatesErrors
{
    public const string All = "States.ALL";
    public const string DataLimitExceeded = "States.DataLimitExceeded";
    public const string Runtime = "States.Runtime";
    public const string Timeout = "States.Timeout";
    public const string HeartbeatTimeout = "States.HeartbeatTimeout";
    public const string TaskFailed = "States.TaskFailed";
    public const string Permissions = "States.Permissions";
    public const string ResultPathMatchFailure = "States.ResultPathMatchFailure";
    public const string ParameterPathFailure = "States.ParameterPathFailure";
    public const string BranchFailed = "States.BranchFailed";
    public const string NoChoiceMatched = "States.NoChoiceMatched";
    public const string IntrinsicFailure = "States.IntrinsicFailure";
    public const string ItemReaderFailed = "States.ItemReaderFailed";

    /// <summary>
    /// Whether a Retrier's or Catcher's ErrorEquals entry matches an error. States.ALL matches every error but the
    /// terminal ones (States.Runtime, States.DataLimitExceeded); States.TaskFailed matches every error but timeouts;
    /// States.Timeout also covers heartbeat timeouts.
    /// </summary>
    public static bool Matches(string errorEquals, string error)
    {
        if (IsTerminal(error))
        {
            return false;
        }
        return errorEquals == All
            || errorEquals == error
            || (errorEquals == Timeout && error == HeartbeatTimeout)
            || (errorEquals == TaskFailed && error is not (Timeout or HeartbeatTimeout));
    }

    /// <summary>Errors no Retry or Catch can handle: they always fail the execution.</summary>
    public static bool IsTerminal(string error) => error is Runtime or DataLimitExceeded;
}
