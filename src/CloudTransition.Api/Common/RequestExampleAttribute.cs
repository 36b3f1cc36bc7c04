namespace CloudTransition.Api.Common;

/// <summary>A realistic request body for the endpoint's documentation (JSON unless a media type is named), kept next to the endpoint.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class RequestExampleAttribute(string mediaType, string body) : Attribute
{
    public RequestExampleAttribute(string json) : this("application/json", json) { }

    public string MediaType => mediaType;
    public string Body => body;
}
