namespace Pipeline.Personalize.Local.Lifecycle;

/// <summary>Personalize's status strings (with their spaces, exactly as the service spells them).</summary>
public static class Statuses
{
    public const string CreatePending = "CREATE PENDING";
    public const string CreateInProgress = "CREATE IN_PROGRESS";
    public const string Active = "ACTIVE";
    public const string CreateFailed = "CREATE FAILED";
    public const string DeletePending = "DELETE PENDING";
    public const string DeleteInProgress = "DELETE IN_PROGRESS";

    public static bool IsCreating(string? status) => status is CreatePending or CreateInProgress;

    public static bool IsDeleting(string? status) => status is DeletePending or DeleteInProgress;
}
