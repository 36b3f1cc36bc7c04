using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using CloudTransition.Api.Common;
using JasperFx;
using JasperFx.CodeGeneration;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Wolverine.Http;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace CloudTransition.Api.Hosting;

/// <summary>Marks endpoints whose body is one JSON request record.</summary>
public record JsonBody(Type RequestType);

public class JsonBodyPolicy : IHttpPolicy
{
    public void Apply(IReadOnlyList<HttpChain> chains, GenerationRules rules, IServiceContainer container)
    {
        foreach (var chain in chains.Where(c => c.HasRequestType)) chain.Metadata.WithMetadata(new JsonBody(chain.RequestType!));
    }
}

/// <summary>
/// Reads a JSON body once before the endpoint does, so that malformed JSON, wrong types and unknown enum
/// values answer 400 with the field named in `errors` and the values it accepts, instead of a parser message.
/// </summary>
public partial class JsonBodyCheck(RequestDelegate next, IOptions<JsonOptions> json)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var body = context.GetEndpoint()?.Metadata.GetMetadata<JsonBody>();
        if (body is null || !HttpMethods.IsPost(context.Request.Method) && !HttpMethods.IsPut(context.Request.Method))
        {
            await next(context);
            return;
        }
        context.Request.EnableBuffering();
        try
        {
            await JsonSerializer.DeserializeAsync(context.Request.Body, body.RequestType, json.Value.SerializerOptions, context.RequestAborted);
        }
        catch (JsonException e)
        {
            var field = FieldOf(e.Path);
            await Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [Explain(body.RequestType, e)] },
                title: "The body is not valid JSON for this request.").ExecuteAsync(context);
            return;
        }
        context.Request.Body.Position = 0;
        await next(context);
    }

    private static string FieldOf(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "body" : path.StartsWith("$.") ? path[2..] : path.TrimStart('$');

    private static string Explain(Type requestType, JsonException e)
    {
        if (e.Path is null or "$") return e.BytePositionInLine is null ? "A JSON object is required." : $"Malformed JSON near byte {e.BytePositionInLine} of line {e.LineNumber + 1}.";
        var target = TargetType(requestType, e.Path);
        if (target is null) return "Malformed JSON or a value of the wrong type.";
        target = Nullable.GetUnderlyingType(target) ?? target;
        return target switch
        {
            { IsEnum: true } => $"Not a known value; use one of: {Kebab.Allowed(target)}.",
            _ when target == typeof(DateTimeOffset) => "Expected an ISO-8601 instant with offset, e.g. 2026-05-04T09:30:00Z.",
            _ when target == typeof(DateOnly) => "Expected a date, e.g. 2026-12-31.",
            _ when target == typeof(bool) => "Expected true or false.",
            _ when target == typeof(string) => "Expected a string.",
            _ when target.IsPrimitive || target == typeof(decimal) => "Expected a number in range.",
            _ when target != typeof(string) && target.IsAssignableTo(typeof(System.Collections.IEnumerable)) => "Expected an array.",
            _ => "Expected an object.",
        };
    }

    /// <summary>Walks "$.endpoints[0].role" down the request type to the type that failed.</summary>
    private static Type? TargetType(Type type, string path)
    {
        Type? current = type;
        foreach (Match segment in Segment().Matches(path))
        {
            if (current is null) return null;
            if (segment.Value.StartsWith('[')) { current = ElementType(current); continue; }
            var name = segment.Value.TrimStart('.');
            current = current.GetProperty(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase)?.PropertyType;
        }
        return current;
    }

    private static Type? ElementType(Type type) =>
        type.IsArray ? type.GetElementType() : type.GetInterfaces().Append(type)
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];

    [GeneratedRegex(@"\.[A-Za-z0-9_]+|\[\d+\]")]
    private static partial Regex Segment();
}
