import type { GeneratedFile } from '../emit/generated-file.js';
import { type Backend, bindingHeader, type ManifestEntry, versionLabel } from './backend.js';
import {
  byName,
  cStyleString,
  enumKeyWords,
  enumValueLiteral,
  modelina,
  processorOptions,
  specialCharsAsWords,
} from './modelina.js';
import { eventNames, modelinaInput, requiredPaths } from './schema.js';
import type { BindingSubject } from './subjects.js';

const basePackage = 'evtgen.bindings';

/**
 * Java 17 with Jackson 2: Modelina's JavaGenerator with its Jackson and description presets renders
 * the classes, one package per event type and version (`evtgen.bindings.orderplaced.v2`), so two
 * events' `EventMetadata` never clash. evtgen adds what Modelina has no notion of: the version
 * constants (`Versions`) and `EventParser`, which unwraps SQS, picks the event type and — since
 * Jackson does not check `required` — verifies required properties before mapping.
 *
 * `date-time` (and `date`, `time`, `duration`) stays a `String` (`OffsetDateTime.parse` reads it): Modelina maps it to
 * `OffsetDateTime`, which Jackson only reads with the jackson-datatype-jsr310 module, and making
 * every consumer register a module to parse an event is a trap.
 */
export const java: Backend = async (subjects) => {
  const m = await modelina();
  const generator = new m.JavaGenerator({
    processorOptions,
    presets: [m.JAVA_JACKSON_PRESET, jacksonKeys, m.JAVA_DESCRIPTION_PRESET],
    constraints: {
      propertyKey: m.javaDefaultPropertyKeyConstraints({ NO_SPECIAL_CHAR: specialCharsAsWords }),
      enumKey: m.javaDefaultEnumKeyConstraints({ NO_SPECIAL_CHAR: enumKeyWords(m) }),
      enumValue: enumValueLiteral(cStyleString),
    },
    typeMapping: {
      // Only formats core Jackson reads; java.time types need jsr310 (see above).
      String: ({ constrainedModel }) =>
        constrainedModel.options.format === 'uuid'
          ? 'java.util.UUID'
          : constrainedModel.options.format === 'binary'
            ? 'byte[]'
            : 'String',
    },
  });
  const files: GeneratedFile[] = [];
  const entries: ManifestEntry[] = [];
  const events: { s: BindingSubject; pkg: string; envelope: string }[] = [];
  for (const s of subjects) {
    const names = eventNames(s);
    const pkg = `${basePackage}.${names.base.toLowerCase()}.v${s.version}`;
    const models = byName(await generator.generateCompleteModels(modelinaInput(s), { packageName: pkg }));
    const dir = pkg.replace(/\./g, '/');
    for (const o of models)
      files.push({ path: `${dir}/${o.modelName}.java`, content: `${header(s)}\n${tidy(o.result)}` });
    files.push({ path: `${dir}/Versions.java`, content: versionsFile(s, pkg) });
    entries.push({
      subject: s.subject,
      version: s.version,
      file: `${dir}/${names.envelope}.java`,
      type: `${pkg}.${names.envelope}`,
    });
    events.push({ s, pkg, envelope: names.envelope });
  }
  const parserDir = basePackage.replace(/\./g, '/');
  files.push({ path: `${parserDir}/EventParser.java`, content: parserFile(events) });
  return { files, entries };
};

function header(s: BindingSubject): string {
  return bindingHeader('//', `${s.subject}, ${versionLabel(s)}.`, 'java');
}

/** Modelina's output with trailing spaces removed and one final newline. */
function tidy(code: string): string {
  return `${code.replace(/[ \t]+$/gm, '').trimEnd()}\n`;
}

const lit = cStyleString;

/**
 * The Jackson preset prints `@JsonProperty("<key>")` without escaping the key (a key `say "hi"`
 * does not compile): the annotation is re-printed with a proper literal.
 */
const jacksonKeys = {
  class: {
    property({ content, property }: { content: string; property: { unconstrainedPropertyName: string } }) {
      const raw = property.unconstrainedPropertyName;
      return content.replace(`@JsonProperty("${raw}")`, `@JsonProperty(${cStyleString(raw)})`);
    },
  },
};

function versionsFile(s: BindingSubject, pkg: string): string {
  return `${header(s)}
package ${pkg};

/** The event type these classes bind, and its registry version${s.version === 0 ? ' (0: not published yet)' : ''}. */
public final class Versions {
  public static final String SUBJECT = ${lit(s.subject)};
  public static final String SOURCE = ${lit(s.source)};
  public static final String DETAIL_TYPE = ${lit(s.detailType)};
  public static final int SCHEMA_VERSION = ${s.version};

  private Versions() {}
}
`;
}

function parserFile(events: readonly { s: BindingSubject; pkg: string; envelope: string }[]): string {
  const known = events
    .map(
      ({ s, pkg, envelope }) =>
        `    new Known(${lit(s.source)}, ${lit(s.detailType)}, ${lit(s.subject)}, ${s.version}, ${pkg}.${envelope}.class,\n        new String[][] {${requiredPaths(
          modelinaInput(s),
        )
          .map((p) => `{${p.map(lit).join(', ')}}`)
          .join(', ')}}),`,
    )
    .join('\n');
  return `${bindingHeader('//', 'The envelope parser: which event type an EventBridge event is, as a typed object.', 'java')}
package ${basePackage};

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads an EventBridge event — as delivered to a target, or as the body of an SQS message (a Lambda
 * SQS record's {@code body} or a ReceiveMessage {@code Body}) — into its typed envelope.
 * Unknown properties are ignored, so a newer compatible version of an event still parses.
 */
public final class EventParser {
  /** The input is not a valid event of a known type; the message says where and why. */
  public static final class InvalidEventException extends Exception {
    public InvalidEventException(String message) { super(message); }
  }

  /** An event of a known type: its subject, registry version and typed envelope. */
  public record ParsedEvent(String subject, String detailType, int version, Object event) {
    /** The envelope as {@code type}, e.g. {@code parsed.as(OrderPlacedEnvelope.class)}. */
    public <T> T as(Class<T> type) { return type.cast(event); }
  }

  private record Known(String source, String detailType, String subject, int version, Class<?> type, String[][] required) {}

  private static final List<Known> KNOWN = List.of(
${known.replace(/,$/, '')}
  );

  private static final ObjectMapper MAPPER = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private EventParser() {}

  public static ParsedEvent parse(String json) throws InvalidEventException {
    JsonNode event = read(json, "the event");
    if (event.isObject() && !event.has("detail-type")) {
      JsonNode body = event.has("body") ? event.get("body") : event.get("Body");
      if (body != null && body.isTextual()) event = read(body.asText(), "the SQS message body");
    }
    if (!event.isObject() || !event.path("source").isTextual() || !event.path("detail-type").isTextual())
      throw new InvalidEventException("/: not an EventBridge event: it needs the strings source and detail-type");
    String source = event.get("source").asText();
    String detailType = event.get("detail-type").asText();
    Known known = KNOWN.stream()
        .filter(k -> k.source().equals(source) && k.detailType().equals(detailType))
        .findFirst()
        .orElseThrow(() -> new InvalidEventException("/: unknown event type " + source + "@" + detailType
            + " (known: " + KNOWN.stream().map(Known::subject).collect(Collectors.joining(", ")) + ")"));
    for (String[] path : known.required()) {
      JsonNode node = event;
      StringBuilder pointer = new StringBuilder();
      for (String key : path) {
        pointer.append('/').append(key.replace("~", "~0").replace("/", "~1"));
        node = node.isObject() ? node.get(key) : null;
        if (node == null) throw new InvalidEventException(pointer + ": required property is missing");
      }
    }
    try {
      return new ParsedEvent(known.subject(), detailType, known.version(), MAPPER.treeToValue(event, known.type()));
    } catch (JsonProcessingException e) {
      throw new InvalidEventException("not a valid " + known.subject() + " event: " + e.getOriginalMessage());
    } catch (IllegalArgumentException e) {
      throw new InvalidEventException("not a valid " + known.subject() + " event: " + e.getMessage());
    }
  }

  private static JsonNode read(String json, String what) throws InvalidEventException {
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new InvalidEventException(what + " is not JSON: " + e.getOriginalMessage());
    }
  }
}
`;
}
