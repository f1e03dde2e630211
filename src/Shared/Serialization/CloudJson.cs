using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Cloud.Shared.Serialization;

/// <summary>
/// JSON as the platform writes it into ZooKeeper and its API: snake_case, no nulls, enums as strings.
/// Docker-shaped container definitions keep Docker's own PascalCase through attributes.
/// The records agents read and write are described at compile time (<see cref="CloudJsonContext"/>), so
/// the natively compiled runner and allocator serialize without reflection; the other roles fall back to
/// reflection for the types only they use.
/// </summary>
public static class CloudJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    public static byte[] Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, TypeInfo<T>());

    public static T Deserialize<T>(ReadOnlySpan<byte> json) => Deserialize(json, TypeInfo<T>());

    /// <summary>Reads a type described by a role's own context (see <see cref="ForContext{TContext}"/>).</summary>
    public static T Deserialize<T>(ReadOnlySpan<byte> json, JsonTypeInfo<T> typeInfo) =>
        JsonSerializer.Deserialize(json, typeInfo) ?? throw new JsonException($"null where a {typeof(T).Name} was expected");

    /// <summary>
    /// A role's own <see cref="JsonSerializerContext"/> bound to a copy of these options, for the few types
    /// not in <see cref="CloudJsonContext"/>: the same JSON, described at compile time.
    /// </summary>
    public static TContext ForContext<TContext>(Func<JsonSerializerOptions, TContext> create)
        where TContext : JsonSerializerContext
    {
        ArgumentNullException.ThrowIfNull(create);
        return create(new JsonSerializerOptions(Options) { TypeInfoResolver = null });
    }

    private static JsonTypeInfo<T> TypeInfo<T>() => (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T));

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DictionaryKeyPolicy = null,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            TypeInfoResolver = JsonSerializer.IsReflectionEnabledByDefault
                ? JsonTypeInfoResolver.Combine(CloudJsonContext.Default, new DefaultJsonTypeInfoResolver())
                : CloudJsonContext.Default,
        };
        // The enum converter makes its generic converters at run time; the records the natively compiled
        // agents exchange have no enums, so there it is left out (compiled out, with this branch).
        if (RuntimeFeature.IsDynamicCodeSupported)
        {
            options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        }

        options.MakeReadOnly();
        return options;
    }
}
