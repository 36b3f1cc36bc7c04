using System.Text;
using CloudTransition.Api.Webhooks;

namespace CloudTransition.Tests.Webhooks;

public class SignatureTests
{
    private static readonly byte[] Key = Convert.FromBase64String("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"test\": 2432232314}");
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1614265330);

    [Fact]
    public void the_standard_webhooks_example_verifies()
    {
        // The example of the Standard Webhooks specification.
        const string expected = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
        Assert.Equal(expected, Signature.Sign(Key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, Body));
        Assert.True(Signature.Verify("msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330", expected, Body, [Key], Now));
    }

    [Theory]
    [InlineData("msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330", "v1,AAAA", "a wrong signature")]
    [InlineData("msg_other", "1614265330", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", "another id")]
    [InlineData("msg_p5jXN8AQM9LWM0D4loKWxJek", "1614264900", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", "stale")]
    [InlineData("msg_p5jXN8AQM9LWM0D4loKWxJek", "abc", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", "a malformed timestamp")]
    [InlineData("msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330", "v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", "an unknown version")]
    [InlineData("", "1614265330", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", "no id")]
    public void a_bad_delivery_does_not_verify(string id, string timestamp, string signature, string because) =>
        Assert.False(Signature.Verify(id, timestamp, signature, Body, [Key], Now), because);

    [Fact]
    public void the_tolerance_is_five_minutes_either_way()
    {
        var sign = (long at) => Signature.Sign(Key, "m", at, Body);
        var now = Now.ToUnixTimeSeconds();
        Assert.True(Signature.Verify("m", (now - 300).ToString(), sign(now - 300), Body, [Key], Now));
        Assert.False(Signature.Verify("m", (now - 301).ToString(), sign(now - 301), Body, [Key], Now));
        Assert.True(Signature.Verify("m", (now + 300).ToString(), sign(now + 300), Body, [Key], Now));
        Assert.False(Signature.Verify("m", (now + 301).ToString(), sign(now + 301), Body, [Key], Now));
    }

    [Fact]
    public void any_of_several_signatures_and_keys_may_match()
    {
        var good = Signature.Sign(Key, "m", Now.ToUnixTimeSeconds(), Body);
        Assert.True(Signature.Verify("m", Now.ToUnixTimeSeconds().ToString(), $"v1,AAAA {good}", Body, [new byte[32], Key], Now));
    }
}
