using CloudTransition.IntegrationTests.Fixtures;

namespace CloudTransition.IntegrationTests.Contract;

/// <summary>The conformance check itself: it refuses an answer the contract does not describe (so its silence elsewhere means something).</summary>
public class ContractConformanceTests
{
    private static Reply Json(int status, string body) => new(status, body, new Dictionary<string, string> { ["Content-Type"] = "application/json; charset=utf-8" });

    [Fact]
    public async Task a_body_of_the_wrong_shape_is_a_violation()
    {
        await Assert.ThrowsAsync<ContractViolation>(() => ContractConformance.Check("GET", "/api/transitions/abc/dependencies",
            Json(200, """{"transitionId":"abc","total":"many","byCategory":{},"items":[],"exchangeCanBeDecommissioned":true,"why":[]}""")));
    }

    [Fact]
    public async Task an_undocumented_status_is_a_violation()
    {
        await Assert.ThrowsAsync<ContractViolation>(() => ContractConformance.Check("GET", "/api/transitions/abc/dependencies", Json(418, "{}")));
    }

    [Fact]
    public async Task a_documented_answer_passes()
    {
        await ContractConformance.Check("GET", "/api/transitions/abc/dependencies", Json(200,
            """{"transitionId":"abc","asOf":null,"total":0,"byCategory":{"mailboxes":0,"devices":0,"hybridEndpoints":0,"directory":0,"components":0,"blockers":0},"items":[],"exchangeCanBeDecommissioned":true,"why":[]}"""));
    }
}
