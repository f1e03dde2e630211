namespace Cloud.ElasticsearchNode.Rest;

/// <summary>An action behind one or more routes.</summary>
internal delegate Task<RestResponse> RestHandler(RestRequest request);
