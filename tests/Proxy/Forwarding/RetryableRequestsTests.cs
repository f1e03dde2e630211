using Cloud.Proxy.Forwarding;
using FluentAssertions;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace Cloud.Proxy.Tests.Forwarding;

public sealed class RetryableRequestsTests
{
    [Theory]
    [InlineData("GET", "/idx/_doc/1", true)]
    [InlineData("HEAD", "/", true)]
    [InlineData("POST", "/_search", true)]
    [InlineData("POST", "/idx/_search/", true)]
    [InlineData("POST", "/idx/_count", true)]
    [InlineData("POST", "/_mget", true)]
    [InlineData("POST", "/a,b/_msearch", true)]
    [InlineData("POST", "/_bulk", false)]
    [InlineData("POST", "/idx/_doc", false)]
    [InlineData("POST", "/_search_thing", false)]
    [InlineData("PUT", "/idx", false)]
    [InlineData("DELETE", "/idx", false)]
    public void IsRetryable_MethodAndPath(string method, string path, bool expected)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;

        RetryableRequests.IsRetryable(context.Request).Should().Be(expected);
    }
}
