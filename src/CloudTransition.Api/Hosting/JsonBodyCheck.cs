using System.Text.Json;
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
public class JsonBodyCheck(RequestDelegate next, IOptions<JsonOptions> json)
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
            var (field, message) = JsonErrors.Describe(body.RequestType, e);
            await Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] },
                title: "The body is not valid JSON for this request.").ExecuteAsync(context);
            return;
        }
        context.Request.Body.Position = 0;
        await next(context);
    }
}
