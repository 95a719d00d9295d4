using System.Text.Json.Nodes;
using Pipeline.Personalize.Local.Errors;
using Pipeline.Personalize.Local.Lifecycle;
using Pipeline.Personalize.Local.Resources;
using Pipeline.Personalize.Local.State;

namespace Pipeline.Personalize.Local.ControlPlane;

/// <summary>
/// The Create operations' common part: the new resource is checked and stored under the store's lock, stamped with
/// its creation time and (for resources with a lifecycle) CREATE PENDING; then its create lifecycle starts and the
/// answer names its ARN.
/// </summary>
public static class Creating
{
    /// <summary>
    /// Creates a resource whose ARN is known from the request: an existing ARN is refused before
    /// <paramref name="resource"/> runs its own checks (the parents it needs, per-kind conflicts) and builds it.
    /// <paramref name="run"/> is the create lifecycle (default: no work between CREATE IN_PROGRESS and ACTIVE).
    /// </summary>
    public static Task<JsonObject> StartAsync<T>(PersonalizeContext context, Func<PersonalizeState, Dictionary<string, T>> table,
        string arn, string arnMember, Func<PersonalizeState, T> resource, Func<string, Task>? run = null) where T : Resource =>
        StartAsync(context, table, arnMember, state =>
        {
            RefuseExisting(table(state), arn);
            return resource(state);
        }, run);

    /// <summary>
    /// Creates a resource whose ARN depends on the state (a parent's name): <paramref name="resource"/> makes every
    /// check, including <see cref="RefuseExisting{T}"/> where an ARN can repeat.
    /// </summary>
    public static async Task<JsonObject> StartAsync<T>(PersonalizeContext context, Func<PersonalizeState, Dictionary<string, T>> table,
        string arnMember, Func<PersonalizeState, T> resource, Func<string, Task>? run = null) where T : Resource
    {
        var arn = Store(context, table, state =>
        {
            var created = resource(state);
            created.Status = Statuses.CreatePending;
            return created;
        });
        await (run ?? (createdArn => context.RunCreation(table, createdArn)))(arn);
        return new JsonObject { [arnMember] = arn };
    }

    /// <summary>Stores a resource that has no lifecycle (usable as soon as it exists); an existing ARN is refused.</summary>
    public static void Add<T>(PersonalizeContext context, Func<PersonalizeState, Dictionary<string, T>> table, string arn, Func<PersonalizeState, T> resource)
        where T : Resource =>
        Store(context, table, state =>
        {
            RefuseExisting(table(state), arn);
            return resource(state);
        });

    public static void RefuseExisting<T>(Dictionary<string, T> table, string arn) where T : Resource
    {
        if (table.ContainsKey(arn)) throw PersonalizeException.AlreadyExists(arn);
    }

    private static string Store<T>(PersonalizeContext context, Func<PersonalizeState, Dictionary<string, T>> table, Func<PersonalizeState, T> resource)
        where T : Resource =>
        context.Store.Write(state =>
        {
            var created = resource(state);
            created.CreationDateTime = created.LastUpdatedDateTime = context.Now;
            table(state)[created.Arn] = created;
            return created.Arn;
        });
}
