using System.Text.Json;

namespace Cloud.ElasticsearchNode.Cluster.Transport;

/// <summary>One frame on the wire: a request, its response, or its error, matched by id.</summary>
internal sealed record TransportEnvelope(long Id, TransportEnvelopeKind Kind, string Action, JsonElement Body, TransportError? Error = null);

internal enum TransportEnvelopeKind
{
    Request,
    Response,
    Error,
}

/// <summary>An error as the remote node reported it, in Elasticsearch's type/reason terms.</summary>
internal sealed record TransportError(string Type, string Reason, int Status = 0);
