using System.Net;

using Microsoft.Extensions.Options;

namespace HelloService.Hosting;

/// <summary>
/// Where the service listens and how it stops, bound to section <c>Server</c>
/// (environment: <c>Server__AppPort=9000</c>).
/// </summary>
internal sealed class ServerOptions
{
    public const string SectionName = "Server";

    /// <summary>The public port: <c>/hello-world</c>.</summary>
    public int AppPort { get; set; } = 9000;

    /// <summary>The management port: health, info and metrics; never exposed publicly.</summary>
    public int ManagementPort { get; set; } = 9001;

    /// <summary>The address to bind: <c>*</c> for every interface (IPv4 and IPv6), or an IP address.</summary>
    public string BindAddress { get; set; } = "*";

    /// <summary>After SIGTERM, how long to keep serving while load balancers stop routing here.</summary>
    public int DrainSeconds { get; set; } = 5;

    /// <summary>The whole shutdown (drain included) must end within this; Kubernetes' grace period must exceed it.</summary>
    public int ShutdownTimeoutSeconds { get; set; } = 20;

    /// <summary>
    /// Open connections the app port accepts at once; more are closed on arrival. The
    /// management port has its own allowance, so a flood on the app port never starves probes.
    /// </summary>
    public int MaxAppConnections { get; set; } = 1000;

    /// <summary>
    /// The name this instance answers with (<c>host</c>), so several instances on one machine are
    /// distinguishable; defaults to the machine's host name (the pod name in Kubernetes).
    /// </summary>
    public string InstanceName { get; set; } = Environment.MachineName;
}

/// <summary>Start-up checks of <see cref="ServerOptions"/>, each naming its key.</summary>
internal sealed class ServerOptionsValidator : IValidateOptions<ServerOptions>
{
    public ValidateOptionsResult Validate(string? name, ServerOptions o)
    {
        var errors = new List<string>();

        void Check(bool ok, string key, string rule, object value)
        {
            if (!ok)
            {
                errors.Add($"{ServerOptions.SectionName}:{key} (environment variable {ServerOptions.SectionName}__{key}) {rule}, but is {value}.");
            }
        }

        Check(o.AppPort is > 0 and <= 65535, nameof(o.AppPort), "must be a port from 1 to 65535", o.AppPort);
        Check(o.ManagementPort is > 0 and <= 65535, nameof(o.ManagementPort), "must be a port from 1 to 65535", o.ManagementPort);
        Check(o.BindAddress == "*" || IPAddress.TryParse(o.BindAddress, out _), nameof(o.BindAddress),
            "must be * or an IP address", $"'{o.BindAddress}'");
        Check(o.ShutdownTimeoutSeconds is >= 1 and <= 3600, nameof(o.ShutdownTimeoutSeconds), "must be from 1 to 3600", o.ShutdownTimeoutSeconds);
        Check(o.DrainSeconds >= 0 && o.DrainSeconds < o.ShutdownTimeoutSeconds, nameof(o.DrainSeconds),
            $"must be from 0 to less than ShutdownTimeoutSeconds ({o.ShutdownTimeoutSeconds})", o.DrainSeconds);
        Check(o.MaxAppConnections is >= 1 and <= 1_000_000, nameof(o.MaxAppConnections), "must be from 1 to 1000000", o.MaxAppConnections);

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
