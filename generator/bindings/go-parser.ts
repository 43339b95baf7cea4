import { bindingHeader } from './backend.js';
import { modelinaInput, requiredPaths } from './schema.js';
import type { BindingSubject } from './subjects.js';

/** The module path of the Go bindings' go.mod; a consumer vendoring them may `replace` it. */
export const goModule = 'evtgen/bindings';

export interface GoEvent {
  readonly s: BindingSubject;
  readonly pkg: string;
  readonly envelope: string;
}

const lit = (text: string) => JSON.stringify(text);

/**
 * Modelina's Go enums are `uint` constants with a value table but no JSON methods, so a struct
 * holding one cannot be unmarshalled from the event's string: evtgen adds them.
 */
export function goEnumJson(name: string): string {
  return `
// UnmarshalJSON reads the enum from its JSON value; an unknown value is an error.
func (op *${name}) UnmarshalJSON(raw []byte) error {
	var value any
	if err := json.Unmarshal(raw, &value); err != nil {
		return err
	}
	known, ok := ValuesTo${name}[value]
	if !ok {
		return fmt.Errorf("%v is not one of %v", value, ${name}Values)
	}
	*op = known
	return nil
}

// MarshalJSON writes the enum as its JSON value.
func (op ${name}) MarshalJSON() ([]byte, error) {
	return json.Marshal(op.Value())
}
`;
}

/** `events/parser.go`: Parse, which unwraps SQS, picks the event type and unmarshals its envelope. */
export function goParserFile(events: readonly GoEvent[]): string {
  const imports = [...new Set(events.map((e) => e.pkg))].sort().map((p) => `\t"${goModule}/${p}"`);
  const entries = events.map(
    ({ s, pkg, envelope }) => `\t{${lit(s.source)}, ${lit(s.detailType)}}: {
\t\tsubject:  ${lit(s.subject)},
\t\tversion:  ${s.version},
\t\trequired: [][]string{${requiredPaths(modelinaInput(s))
      .map((p) => `{${p.map(lit).join(', ')}}`)
      .join(', ')}},
\t\tdecode: func(raw []byte) (any, error) {
\t\t\tvar event ${pkg}.${envelope}
\t\t\terr := json.Unmarshal(raw, &event)
\t\t\treturn &event, err
\t\t},
\t},`,
  );
  return `${bindingHeader('//', 'The envelope parser: which event type an EventBridge event is, as a typed object.', 'go')}

// Package events reads EventBridge events of this registry into their typed envelopes.
package events

import (
\t"encoding/json"
\t"fmt"
\t"sort"
\t"strings"
${imports.length ? `\n${imports.join('\n')}\n` : ''})

// InvalidEventError: the input is not a valid event of a known type; the message says where and why.
type InvalidEventError struct{ Message string }

func (e *InvalidEventError) Error() string { return e.Message }

// ParsedEvent is an event of a known type: its subject, registry version and typed envelope, a
// pointer to the event's envelope type (e.g. *orderplacedv2.OrderPlacedEnvelope).
type ParsedEvent struct {
\tSubject    string
\tDetailType string
\tVersion    int
\tEvent      any
}

type known struct {
\tsubject  string
\tversion  int
\trequired [][]string
\tdecode   func([]byte) (any, error)
}

// (source, detail-type) → the event type.
var knownTypes = map[[2]string]known{
${entries.join('\n')}
}

// Parse reads an EventBridge event as delivered to a target, or an SQS message carrying one (a
// Lambda SQS record with "body", a ReceiveMessage message with "Body"). Unknown properties are
// ignored; anything else invalid is an *InvalidEventError.
func Parse(raw []byte) (*ParsedEvent, error) {
\tevent, err := object(raw, "the event")
\tif err != nil {
\t\treturn nil, err
\t}
\tif _, ok := event["detail-type"]; !ok {
\t\tbody, isText := event["body"].(string)
\t\tif !isText {
\t\t\tbody, isText = event["Body"].(string)
\t\t}
\t\tif isText {
\t\t\traw = []byte(body)
\t\t\tif event, err = object(raw, "the SQS message body"); err != nil {
\t\t\t\treturn nil, err
\t\t\t}
\t\t}
\t}
\tsource, okSource := event["source"].(string)
\tdetailType, okType := event["detail-type"].(string)
\tif !okSource || !okType {
\t\treturn nil, &InvalidEventError{"/: not an EventBridge event: it needs the strings source and detail-type"}
\t}
\tk, found := knownTypes[[2]string{source, detailType}]
\tif !found {
\t\treturn nil, &InvalidEventError{fmt.Sprintf("/: unknown event type %s@%s (known: %s)", source, detailType, knownSubjects())}
\t}
\tfor _, path := range k.required {
\t\tvar node any = event
\t\tfor i, key := range path {
\t\t\tfields, isObject := node.(map[string]any)
\t\t\tvalue, present := fields[key]
\t\t\tif !isObject || !present {
\t\t\t\treturn nil, &InvalidEventError{pointer(path[:i+1]) + ": required property is missing"}
\t\t\t}
\t\t\tnode = value
\t\t}
\t}
\ttyped, err := k.decode(raw)
\tif err != nil {
\t\treturn nil, &InvalidEventError{fmt.Sprintf("not a valid %s event: %v", k.subject, err)}
\t}
\treturn &ParsedEvent{Subject: k.subject, DetailType: detailType, Version: k.version, Event: typed}, nil
}

func object(raw []byte, what string) (map[string]any, error) {
\tvar value any
\tif err := json.Unmarshal(raw, &value); err != nil {
\t\treturn nil, &InvalidEventError{fmt.Sprintf("%s is not JSON: %v", what, err)}
\t}
\tfields, ok := value.(map[string]any)
\tif !ok {
\t\treturn nil, &InvalidEventError{"/: expected an EventBridge event (an object)"}
\t}
\treturn fields, nil
}

func pointer(path []string) string {
\tvar out strings.Builder
\tfor _, key := range path {
\t\tout.WriteString("/" + strings.ReplaceAll(strings.ReplaceAll(key, "~", "~0"), "/", "~1"))
\t}
\treturn out.String()
}

func knownSubjects() string {
\tsubjects := make([]string, 0, len(knownTypes))
\tfor _, k := range knownTypes {
\t\tsubjects = append(subjects, k.subject)
\t}
\tsort.Strings(subjects)
\treturn strings.Join(subjects, ", ")
}
`;
}
