namespace Pipeline.Personalize.Local.Lifecycle;

/// <summary>How resources move through their statuses.</summary>
public enum LifecycleMode
{
    /// <summary>Create calls do the work before they return (training included): the resource is ACTIVE or CREATE FAILED at once. For tests and the workflow interpreter's compressed time.</summary>
    Immediate,

    /// <summary>As Personalize does: CREATE PENDING on return, then CREATE IN_PROGRESS, then ACTIVE once the work is done in the background.</summary>
    Realistic,
}
