using System.Text.Json;
using System.Text.Json.Serialization;

namespace Palisade.Protocol.Tests.Vectors;

/// <summary>
/// The wire-format vectors written by dnspython (<c>generate_vectors.py</c> beside this file): an independent
/// implementation's reading of each message, which ours must match.
/// </summary>
internal sealed class VectorFile
{
    private static readonly Lazy<VectorFile> LazyInstance = new(Load);

    public static VectorFile Instance => LazyInstance.Value;

    public required List<NameVector> Names { get; init; }

    public required List<MessageVector> Vectors { get; init; }

    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Vectors");

    public MessageVector this[string name] => Vectors.Single(v => v.Name == name);

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private static VectorFile Load()
    {
        string json = File.ReadAllText(Path.Combine(Directory, "vectors.json"));
        return JsonSerializer.Deserialize<VectorFile>(json, JsonOptions) ?? throw new InvalidDataException("vectors.json is empty");
    }
}

internal sealed record NameVector(string Text, string Wire);

internal sealed class MessageVector
{
    public required string Name { get; init; }

    public required string Description { get; init; }

    public required string Wire { get; init; }

    public required HeaderVector Header { get; init; }

    public EdnsVector? Edns { get; init; }

    public required List<QuestionVector> Question { get; init; }

    public required List<RecordVector> Answer { get; init; }

    public required List<RecordVector> Authority { get; init; }

    public required List<RecordVector> Additional { get; init; }

    public byte[] WireBytes => Convert.FromHexString(Wire);

    public override string ToString() => Name;
}

internal sealed record HeaderVector(int Id, int Flags, int Opcode, int Rcode, int Qdcount, int Ancount, int Nscount, int Arcount);

internal sealed record EdnsVector(int Version, int Payload, int Flags, List<OptionVector> Options);

internal sealed class OptionVector
{
    public int Code { get; init; }

    public required string Data { get; init; }

    public int? Family { get; init; }

    public int? Source { get; init; }

    public int? Scope { get; init; }

    public string? Address { get; init; }

    [JsonPropertyName("info_code")]
    public int? InfoCode { get; init; }

    public string? Text { get; init; }

    public int? Length { get; init; }
}

internal sealed record QuestionVector(string Name, int Type, int Class);

internal sealed record RecordVector(string Name, int Type, int Class, long Ttl, string RdataText, string RdataGeneric);
