using System.Text.Json;

namespace Cloud.ElasticsearchNode.Cluster.Transport;

/// <summary>One frame on the wire: a request, its response, or its error, matched by id.</summary>
internal sealed record TransportEnvelope(long Id, TransportEnvelopeKind Kind, string Action, JsonElement Body, TransportError? Error = null);

/// <summary>One frame as read: its envelope and, when it carried raw bytes, their buffer (whoever consumes the frame disposes it).</summary>
internal readonly record struct TransportFrame(TransportEnvelope Envelope, TransportAttachment? Attachment);

/// <summary>A handler's answer: the JSON body and, for bulk data, raw bytes sent beside it (disposed once written).</summary>
internal readonly record struct TransportReply(JsonElement Body, TransportAttachment? Attachment);

internal enum TransportEnvelopeKind
{
    Request,
    Response,
    Error,
}

/// <summary>An error as the remote node reported it, in Elasticsearch's type/reason terms.</summary>
internal sealed record TransportError(string Type, string Reason, int Status = 0);
