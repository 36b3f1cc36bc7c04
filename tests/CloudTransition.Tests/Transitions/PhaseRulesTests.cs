using CloudTransition.Api.Transitions;
using CloudTransition.Contracts;
using static CloudTransition.Contracts.TransitionPhase;

namespace CloudTransition.Tests.Transitions;

public class PhaseRulesTests
{
    [Theory]
    [InlineData(Assessment, ProofOfConcept, null, true)]
    [InlineData(Pilot, Decommission, null, true)]
    [InlineData(Pilot, ProofOfConcept, null, false)]
    [InlineData(Pilot, ProofOfConcept, " ", false)]
    [InlineData(Pilot, ProofOfConcept, "Free/busy failed in the pilot", true)]
    [InlineData(Completed, Migration, "Forgot a site", true)]
    public void phases_go_forward_or_back_with_a_reason(TransitionPhase from, TransitionPhase to, string? reason, bool allowed) =>
        Assert.Equal(allowed, PhaseRules.Refusal(from, to, reason) is null);
}
