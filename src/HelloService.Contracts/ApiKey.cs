namespace HelloService.Contracts;

/// <summary>The header that carries the API key, when the service has one.</summary>
public static class ApiKey
{
    public const string HeaderName = "X-Api-Key";
}
