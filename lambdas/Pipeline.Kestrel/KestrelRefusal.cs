namespace Pipeline.Kestrel;

/// <summary>
/// A request Kestrel refused before any middleware ran: the status it answers, the part of the request at fault
/// (<c>path</c>, <c>request_line</c>, <c>headers</c> or <c>request</c>) and a fixed sentence saying what was wrong.
/// The offending input itself is never echoed.
/// </summary>
public sealed record KestrelRefusal(int Status, string Field, string Message, string? RequestId);

/// <summary>What a host answers in place of Kestrel's empty refusal: the body, its media type and any extra headers.</summary>
public sealed record RefusalBody(string ContentType, byte[] Body, IReadOnlyList<KeyValuePair<string, string>>? Headers = null);
