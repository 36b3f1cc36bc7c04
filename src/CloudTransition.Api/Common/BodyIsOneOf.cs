namespace CloudTransition.Api.Common;

/// <summary>Endpoint metadata: the body is one of these shapes (an event or a batch), not the single type it is read as.</summary>
public record BodyIsOneOf(params Type[] Types);

/// <summary>
/// Endpoint metadata: the body is text the endpoint streams itself, in one of these media types. Not accepts-metadata, which
/// would make routing answer 415 before authentication; the endpoint checks the media type after it.
/// </summary>
public record RawTextBody(string Description, params string[] ContentTypes);
