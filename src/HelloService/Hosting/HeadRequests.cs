namespace HelloService.Hosting;

/// <summary>
/// HEAD wherever GET is answered (<c>MapMethods(pattern, HeadRequests.GetAndHead, handler)</c>):
/// monitors and link checkers ask with HEAD, and a 405 there reads as "down". Kestrel sends no
/// body for a HEAD, so the GET handler serves both; the OpenAPI document lists the GET only.
/// (A wrapper around <c>MapMethods</c> would hide the handler from the compile-time request
/// delegate generator, which Native AOT needs.)
/// </summary>
internal static class HeadRequests
{
    public static readonly string[] GetAndHead = [HttpMethods.Get, HttpMethods.Head];
}
