using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Sockets;

using Microsoft.Extensions.Options;

namespace HelloService.Hosting;

/// <summary>Start-up checks of <see cref="ServerOptions"/>, each naming its key and its environment variable.</summary>
internal sealed class ServerOptionsValidator() : SettingsValidator<ServerOptions, ServerOptionsAnnotations>(ServerOptions.SectionName)
{
    public const int MaxInstanceNameLength = 64;

    public static bool IsValidInstanceName(string? name) =>
        name is { Length: > 0 and <= MaxInstanceNameLength } && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_');

    protected override void CheckRules(ServerOptions o, SettingErrors errors)
    {
        void Check(bool ok, string key, string rule, object value) => errors.Rule(ok, key, $"{rule} (is {value})");

        Check(BindAddressProblem(o.BindAddress) is null, nameof(o.BindAddress), BindAddressProblem(o.BindAddress) ?? "", $"'{o.BindAddress}'");
        Check(IsValidInstanceName(o.InstanceName), nameof(o.InstanceName),
            $"must be 1 to {MaxInstanceNameLength} characters among letters, digits, '.', '-' and '_'", $"'{Shorten(o.InstanceName)}'");
        Check(o.DrainSeconds < o.ShutdownTimeoutSeconds, nameof(o.DrainSeconds),
            $"must be less than ShutdownTimeoutSeconds ({o.ShutdownTimeoutSeconds})", o.DrainSeconds);

    }

    private static string Shorten(string? s) => s is null ? string.Empty : s.Length <= MaxInstanceNameLength ? s : string.Concat(s.AsSpan(0, MaxInstanceNameLength), "...");

    /// <summary>Why the address cannot be bound to serve clients, or null when it can be tried.</summary>
    private static string? BindAddressProblem(string address)
    {
        if (address == "*")
        {
            return null;
        }

        if (!IPAddress.TryParse(address, out var ip))
        {
            return "must be * or an IP address";
        }

        var multicast = ip.AddressFamily == AddressFamily.InterNetworkV6
            ? ip.IsIPv6Multicast
            : (ip.GetAddressBytes()[0] & 0xF0) == 0xE0;
        if (multicast)
        {
            return "must be * or a unicast IP address of this machine (a multicast address cannot accept connections)";
        }

        return ip.Equals(IPAddress.Broadcast)
            ? "must be * or a unicast IP address of this machine (a broadcast address cannot accept connections)"
            : null;
    }

    protected override object? ValueOf(ServerOptions o, string member) => member switch
    {
        nameof(o.AppPort) => o.AppPort,
        nameof(o.ManagementPort) => o.ManagementPort,
        nameof(o.DrainSeconds) => o.DrainSeconds,
        nameof(o.ShutdownTimeoutSeconds) => o.ShutdownTimeoutSeconds,
        nameof(o.MaxAppConnections) => o.MaxAppConnections,
        nameof(o.SilentConnectionSeconds) => o.SilentConnectionSeconds,
        _ => null,
    };
}
