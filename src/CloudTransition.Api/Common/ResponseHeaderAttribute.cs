namespace CloudTransition.Api.Common;

/// <summary>A header an endpoint sets on an answer, declared next to the endpoint so the published contract lists it.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class ResponseHeaderAttribute(string status, string name, string description) : Attribute
{
    public string Status => status;
    public string Name => name;
    public string Description => description;
}
