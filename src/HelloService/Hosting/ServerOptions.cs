using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Sockets;

using Microsoft.Extensions.Options;

namespace HelloService.Hosting;

/// <summary>
/// Where the service listens and how it stops, bound to section <c>Server</c>
/// (environment: <c>Server__AppPort=9000</c>). Ranges are DataAnnotations checked by a
/// source-generated validator; <see cref="ServerOptionsValidator"/> adds the rules that
/// involve two settings or parsing, and words every failure the same way.
/// </summary>
internal sealed class ServerOptions
{
    public const string SectionName = "Server";

    /// <summary>The public port: <c>/hello-world</c>.</summary>
    [Range(1, 65535)]
    public int AppPort { get; set; } = 9000;

    /// <summary>The management port: health, info and metrics; never exposed publicly.</summary>
    [Range(1, 65535)]
    public int ManagementPort { get; set; } = 9001;

    /// <summary>The address to bind: <c>*</c> for every interface (IPv4 and IPv6), or an IP address.</summary>
    public string BindAddress { get; set; } = "*";

    /// <summary>After SIGTERM, how long to keep serving while load balancers stop routing here.</summary>
    [Range(0, 3599)]
    public int DrainSeconds { get; set; } = 5;

    /// <summary>The whole shutdown (drain included) must end within this; Kubernetes' grace period must exceed it.</summary>
    [Range(1, 3600)]
    public int ShutdownTimeoutSeconds { get; set; } = 20;

    /// <summary>
    /// Open connections the app port accepts at once; more are closed on arrival. The
    /// management port has its own allowance, so a flood on the app port never starves probes.
    /// </summary>
    [Range(1, 1_000_000)]
    public int MaxAppConnections { get; set; } = 1000;

    /// <summary>
    /// A connection to the app port that sends no byte within this many seconds is closed, so
    /// that silent sockets cannot hold the <see cref="MaxAppConnections"/> slots.
    /// </summary>
    [Range(1, 75)]
    public int SilentConnectionSeconds { get; set; } = 5;

    /// <summary>
    /// The name this instance answers with (<c>host</c>), so several instances on one machine are
    /// distinguishable; defaults to the machine's host name (the pod name in Kubernetes). Kept to
    /// what a host or pod name is made of, since it goes into every answer and onto the demo page.
    /// </summary>
    public string InstanceName { get; set; } = Environment.MachineName;
}
