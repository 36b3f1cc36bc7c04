using FluentValidation;
using JasperFx;
using JasperFx.CodeGeneration;
using JasperFx.CodeGeneration.Frames;
using Wolverine.Http;
using Wolverine.Http.CodeGen;

namespace CloudTransition.Api.Hosting;

/// <summary>Runs the request's FluentValidation validator before the endpoint; failures answer 400 with field-level errors.</summary>
public class FluentValidationHttpPolicy : IHttpPolicy
{
    public void Apply(IReadOnlyList<HttpChain> chains, GenerationRules rules, IServiceContainer container)
    {
        foreach (var chain in chains.Where(c => c.HasRequestType))
        {
            if (!container.HasRegistrationFor(typeof(IValidator<>).MakeGenericType(chain.RequestType!))) continue;
            chain.Metadata.ProducesValidationProblem(400);
            var method = typeof(FluentValidationExecutor).GetMethod(nameof(FluentValidationExecutor.ExecuteAsync))!
                .MakeGenericMethod(chain.RequestType!);
            var call = new MethodCall(typeof(FluentValidationExecutor), method);
            chain.Middleware.InsertRange(0, [call, new MaybeEndWithResultFrame(call.ReturnVariable!)]);
        }
    }
}

public static class FluentValidationExecutor
{
    public static async Task<IResult> ExecuteAsync<T>(IValidator<T> validator, T? request)
    {
        if (request is null)
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["A JSON object is required."] });
        var result = await validator.ValidateAsync(request);
        return result.IsValid ? WolverineContinue.Result() : Results.ValidationProblem(result.ToDictionary());
    }
}
