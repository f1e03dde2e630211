using System.Text.Json;
using Cloud.Allocator.Containers;
using FluentAssertions;
using Xunit;

namespace Cloud.Allocator.Tests.Containers;

public sealed class ElasticsearchSettingsTests
{
    private static Dictionary<string, JsonElement> Parse(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!;

    [Theory]
    [InlineData("""{"a.b": "x"}""", "a.b=x")]
    [InlineData("""{"a": {"b": {"c": 1}}}""", "a.b.c=1")]
    [InlineData("""{"flag": true}""", "flag=true")]
    [InlineData("""{"list": ["x", "y", 3]}""", "list=x,y,3")]
    [InlineData("""{"gone": null}""", "")]
    [InlineData("""{"node.name": "evil", "path.data": "/etc"}""", "")]
    public void FlattenUserSettings_Table_GivesEnvEntries(string json, string expected)
    {
        var flat = ElasticsearchSettings.FlattenUserSettings(Parse(json)).Select(kv => kv.Key + "=" + kv.Value);

        string.Join(';', flat).Should().Be(expected);
    }

    [Fact]
    public void IgnoredUserSettings_ReservedKeys_AreListed()
    {
        ElasticsearchSettings.IgnoredUserSettings(Parse("""{"node": {"name": "x"}, "ok": 1}""")).Should().Equal("node.name");
    }
}
