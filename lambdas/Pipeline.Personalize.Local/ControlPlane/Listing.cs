using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Pipeline.Personalize.Local.Errors;
using Pipeline.Personalize.Local.Json;
using Pipeline.Personalize.Local.Resources;
using Pipeline.Personalize.Local.State;

namespace Pipeline.Personalize.Local.ControlPlane;

/// <summary>The List operations' paging: maxResults (1–100, default 100) and an opaque nextToken.</summary>
public static class Listing
{
    /// <summary>
    /// A List operation over one kind of resource: oldest first, each as its summary (only the members Personalize lists),
    /// paged. The resources are read and summarized under the store's lock.
    /// </summary>
    public static JsonObject Page<T>(PersonalizeContext context, Request request, string member,
        Func<PersonalizeState, IEnumerable<T>> resources, params string[] summaryMembers) where T : Resource =>
        Page(context.Store.Read(state => resources(state)
            .OrderBy(r => r.CreationDateTime)
            .Select(r => PersonalizeJson.Summary(PersonalizeJson.ToNode(r), summaryMembers))
            .ToList()), request, member);

    /// <summary>
    /// A List operation over a kind of resource that belongs to a dataset group (datasets, solutions, event trackers,
    /// filters, recommenders, metric attributions): the request's optional datasetGroupArn narrows it to that group's,
    /// without one every group's are listed. The ARN is validated before the paging members, as Personalize does.
    /// </summary>
    public static JsonObject PageByDatasetGroup<T>(PersonalizeContext context, Request request, string member,
        Func<PersonalizeState, IEnumerable<T>> resources, Func<T, string> datasetGroupOf, params string[] summaryMembers) where T : Resource
    {
        var groupArn = request.OptionalArn("datasetGroupArn");
        return Page(context, request, member, state => resources(state).Where(r => groupArn is null || datasetGroupOf(r) == groupArn), summaryMembers);
    }

    public static JsonObject Page(IEnumerable<JsonObject> summaries, Request request, string member)
    {
        var maxResults = request.Int("maxResults", 1, 100) ?? 100;
        var offset = request.String("nextToken", 1500) is { } token ? Decode(token) : 0;
        var all = summaries.ToList();
        var page = new JsonArray([.. all.Skip(offset).Take(maxResults)]);
        var response = new JsonObject { [member] = page };
        if (offset + maxResults < all.Count) response["nextToken"] = Encode(offset + maxResults);
        return response;
    }

    private static string Encode(int offset) => Convert.ToBase64String(Encoding.UTF8.GetBytes("offset:" + offset.ToString(CultureInfo.InvariantCulture)));

    private static int Decode(string token)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            if (text.StartsWith("offset:", StringComparison.Ordinal) && int.TryParse(text["offset:".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
                return offset;
        }
        catch (FormatException)
        {
            // Reported below like any other foreign token.
        }
        throw new PersonalizeException(ErrorTypes.InvalidNextToken, "The nextToken is not valid.");
    }
}
