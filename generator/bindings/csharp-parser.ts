import { bindingHeader } from './backend.js';
import { modelinaInput, requiredPaths } from './schema.js';
import type { BindingSubject } from './subjects.js';

export interface CSharpEvent {
  readonly s: BindingSubject;
  readonly ns: string;
  readonly envelope: string;
}

const lit = (text: string) => JSON.stringify(text);

/**
 * `EventParser.cs`: Parse, which unwraps SQS, picks the event type, checks required properties
 * (the Modelina converters do not) and deserializes the envelope with its Modelina converter.
 */
export function csharpParserFile(events: readonly CSharpEvent[]): string {
  const entries = events.map(
    ({ s, ns, envelope }) =>
      `      [(${lit(s.source)}, ${lit(s.detailType)})] = new Known(${lit(s.subject)}, ${s.version},
        new[] { ${requiredPaths(modelinaInput(s))
          .map((p) => `new[] { ${p.map(lit).join(', ')} }`)
          .join(', ')} },
        json => global::${ns}.${envelope}.Deserialize(json)),`,
  );
  return `${bindingHeader('//', 'The envelope parser: which event type an EventBridge event is, as a typed object.', 'csharp')}
#nullable enable
using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Evtgen.Bindings
{
  /// <summary>The input is not a valid event of a known type; the message says where and why.</summary>
  public sealed class InvalidEventException : Exception
  {
    public InvalidEventException(string message) : base(message) { }
  }

  /// <summary>An event of a known type: its subject, registry version and typed envelope.</summary>
  public sealed record ParsedEvent(string Subject, string DetailType, int Version, object Event);

  /// <summary>
  /// Reads an EventBridge event as delivered to a target, or an SQS message carrying one (a Lambda
  /// SQS record with "body", a ReceiveMessage message with "Body"). Unknown properties are ignored.
  /// </summary>
  public static class EventParser
  {
    private sealed record Known(string Subject, int Version, string[][] Required, Func<string, object?> Decode);

    private static readonly Dictionary<(string, string), Known> KnownTypes = new()
    {
${entries.join('\n')}
    };

    public static ParsedEvent Parse(string json)
    {
      JsonObject message = ReadObject(json, "the event");
      if (!message.ContainsKey("detail-type") && (message["body"] ?? message["Body"]) is JsonValue body
          && body.TryGetValue(out string? text))
      {
        json = text;
        message = ReadObject(json, "the SQS message body");
      }
      if (message["source"] is not JsonValue s || !s.TryGetValue(out string? source)
          || message["detail-type"] is not JsonValue d || !d.TryGetValue(out string? detailType))
        throw new InvalidEventException("/: not an EventBridge event: it needs the strings source and detail-type");
      if (!KnownTypes.TryGetValue((source, detailType), out Known? known))
      {
        string names = string.Join(", ", KnownTypes.Values.Select(k => k.Subject).OrderBy(n => n, StringComparer.Ordinal));
        throw new InvalidEventException($"/: unknown event type {source}@{detailType} (known: {names})");
      }
      foreach (string[] path in known.Required)
      {
        JsonNode? node = message;
        for (int i = 0; i < path.Length; i++)
        {
          if (node is not JsonObject fields || !fields.ContainsKey(path[i]))
            throw new InvalidEventException(Pointer(path, i + 1) + ": required property is missing");
          node = fields[path[i]];
        }
      }
      object? typed;
      try
      {
        typed = known.Decode(json);
      }
      catch (Exception e) when (e is JsonException || e is InvalidOperationException || e is FormatException || e is ArgumentException)
      {
        throw new InvalidEventException($"not a valid {known.Subject} event: {e.Message}");
      }
      return new ParsedEvent(known.Subject, detailType, known.Version,
        typed ?? throw new InvalidEventException($"not a valid {known.Subject} event: null"));
    }

    private static JsonObject ReadObject(string json, string what)
    {
      JsonNode? node;
      try
      {
        node = JsonNode.Parse(json);
      }
      catch (JsonException e)
      {
        throw new InvalidEventException($"{what} is not JSON: {e.Message}");
      }
      return node as JsonObject ?? throw new InvalidEventException("/: expected an EventBridge event (an object)");
    }

    private static string Pointer(string[] path, int length) =>
      string.Concat(path.Take(length).Select(k => "/" + k.Replace("~", "~0").Replace("/", "~1")));
  }
}
`;
}
