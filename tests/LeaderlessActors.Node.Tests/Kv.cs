using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace LeaderlessActors.Node.Tests;

/// <summary>The HTTP API's key-value calls, as a client would make them.</summary>
internal static class Kv
{
    public const string ContextHeader = "X-Causal-Context";

    public static Task<HttpResponseMessage> PutKeyAsync(this HttpClient http, string key, string value, string? context = null, string query = "") =>
        http.SendAsync(Request(HttpMethod.Put, key, query, context, new ByteArrayContent(Encoding.UTF8.GetBytes(value))));

    public static Task<HttpResponseMessage> GetKeyAsync(this HttpClient http, string key, string query = "", bool json = false)
    {
        var request = Request(HttpMethod.Get, key, query, null, null);
        if (json) request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return http.SendAsync(request);
    }

    public static Task<HttpResponseMessage> DeleteKeyAsync(this HttpClient http, string key, string? context, string query = "") =>
        http.SendAsync(Request(HttpMethod.Delete, key, query, context, null));

    public static HttpRequestMessage Request(HttpMethod method, string key, string query, string? context, HttpContent? content)
    {
        var request = new HttpRequestMessage(method, $"/kv/{Uri.EscapeDataString(key)}{query}") { Content = content };
        if (context is not null) request.Headers.TryAddWithoutValidation(ContextHeader, context);
        return request;
    }

    public static string ContextOf(HttpResponseMessage response) =>
        response.Headers.TryGetValues(ContextHeader, out var values) ? values.Single() : throw new InvalidOperationException(
            $"No {ContextHeader} header in the {(int)response.StatusCode} response.");

    /// <summary>Every sibling value (as UTF-8) of a JSON read that found the key (200 or 300); none for any other answer.</summary>
    public static async Task<string[]> ValuesOfAsync(HttpResponseMessage read)
    {
        if (read.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.MultipleChoices)) return [];
        using var body = JsonDocument.Parse(await read.TextAsync());
        return body.RootElement.GetProperty("values").EnumerateArray().Select(v => Encoding.UTF8.GetString(v.GetBytesFromBase64())).ToArray();
    }

    public static async Task<string> TextAsync(this HttpResponseMessage response) => await response.Content.ReadAsStringAsync();
}
