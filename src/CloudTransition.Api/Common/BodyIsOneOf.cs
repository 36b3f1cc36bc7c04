namespace CloudTransition.Api.Common;

/// <summary>Endpoint metadata: the body is one of these shapes (an event or a batch), not the single type it is read as.</summary>
public record BodyIsOneOf(params Type[] Types);
