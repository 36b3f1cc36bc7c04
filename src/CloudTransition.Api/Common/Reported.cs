using FluentValidation;

namespace CloudTransition.Api.Common;

/// <summary>A command that may say when the thing it reports happened (default: now).</summary>
public interface IReported
{
    /// <summary>When it happened (ISO-8601 with offset); defaults to now. At most five minutes in the future.</summary>
    DateTimeOffset? OccurredAt { get; }
}

public static class Reported
{
    public static readonly TimeSpan FutureTolerance = TimeSpan.FromMinutes(5);

    public static DateTimeOffset At(this IReported command, TimeProvider time) => command.OccurredAt ?? time.GetUtcNow();

    public static void OccurredAtIsNotInTheFuture<T>(this AbstractValidator<T> validator, TimeProvider time) where T : IReported =>
        validator.RuleFor(x => x.OccurredAt)
            .Must(at => at is null || at <= time.GetUtcNow() + FutureTolerance)
            .WithMessage("occurredAt is more than five minutes in the future.");
}
