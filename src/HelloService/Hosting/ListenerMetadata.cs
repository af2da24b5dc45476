using Microsoft.Extensions.Options;

namespace HelloService.Hosting;

/// <summary>
/// Endpoint metadata naming the port an endpoint belongs to. Matched against the port the
/// connection arrived on (not the Host header, which a proxy or a client can set to anything).
/// </summary>
internal sealed record ListenerMetadata(Listener Listener);
