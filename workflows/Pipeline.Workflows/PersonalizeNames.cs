using Amazon.CDK;

namespace Pipeline.Workflows;

/// <summary>
/// The one naming rule both machines' IAM follows. A project's dataset groups are named exactly like the project (the
/// nightly run's) or <c>{project}-…</c>; everything the training machine creates in a group is named <c>{group}-…</c>
/// (schemas, import jobs, solutions, campaigns), so it starts with <c>{project}-</c>; datasets are
/// <c>dataset/{group}/{TYPE}</c>. The dash keeps another project whose name merely starts alike (<c>pipeline2</c>) out.
/// </summary>
public static class PersonalizeNames
{
    /// <summary>Dataset-group names: the project's own and its dashed variants.</summary>
    public static string[] Groups(string project) => [project, project + "-*"];

    /// <summary>Resources named after their group: <c>{group}-…</c>.</summary>
    public static string[] GroupChildren(string project) => [project + "-*"];

    /// <summary>Datasets: <c>{group}/{TYPE}</c>.</summary>
    public static string[] Datasets(string project) => [.. Groups(project).Select(g => g + "/*")];

    public static string[] Arns(Stack stack, string resource, IEnumerable<string> names) =>
        [.. names.Select(name => stack.FormatArn(new ArnComponents { Service = "personalize", Resource = resource, ResourceName = name }))];
}
