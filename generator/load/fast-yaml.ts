import jsYaml from 'js-yaml';

/**
 * A YAML document's value read by js-yaml, for the common document where js-yaml and the `yaml`
 * package give the same value; undefined where evtgen cannot vouch for that, and the caller reads the
 * document with `yaml` as before (source-file.ts).
 *
 * Why: `yaml` builds a full syntax tree with positions, ~1 s for the 500-event synthetic spec's
 * 1.6 MB (a third of the main thread's work before ajv), where js-yaml reads the value in ~0.1 s.
 * The tree is only needed to locate a diagnostic, so source-file.ts builds it on the first `locate`.
 *
 * When the values could differ, `yaml` reads the document:
 * - js-yaml fails (a syntax error, a duplicate key, an unknown tag, several documents): `yaml` then
 *   reports it with its position, as before;
 * - an anchor (`&a`): aliases and merge keys go through `yaml`, which caps alias expansion;
 * - a `%` directive (`%YAML 1.1` switches `yaml` to YAML 1.1's scalars);
 * - a mapping key that could be null (`~:`, `null:`, an empty or explicit `?` key) or a flow
 *   collection (`[a]: x`): js-yaml names a null key "null" and `yaml` names it "", and they print
 *   collections differently. (`/orders/{id}:` is a plain key.)
 *
 * Plain scalars resolve by the YAML 1.2 core schema exactly as `yaml` does it (its tests and
 * conversions, copied from yaml/dist/schema/core): js-yaml's own core schema also reads `0b101`,
 * `-0x1` as numbers and `-.5` as a string.
 */
export function fastYamlValue(text: string): { readonly value: unknown } | undefined {
  if (unsafeText.test(text)) return undefined;
  let anchors = false;
  try {
    const value = jsYaml.load(text, {
      schema: yamlCoreSchema,
      listener(event, state) {
        // `anchorMap` is js-yaml's record of the anchors read so far.
        if (
          event === 'close' &&
          !anchors &&
          Object.keys((state as { anchorMap?: object }).anchorMap ?? {}).length > 0
        )
          anchors = true;
      },
    });
    return anchors ? undefined : { value };
  } catch {
    return undefined;
  }
}

/**
 * Text js-yaml and `yaml` may read differently: a directive line; a key that is null, empty or
 * explicit (`~:`, `null:`, `: x`, `? x`), in a block or a flow collection; a flow collection as a key
 * (`[a]: x`, `{a: b}: x`, `{[a]: x}`). Over-matching (the same text in a description) costs only speed.
 */
const unsafeText =
  /^%|^[ \t]*(?:-[ \t]+)*(?:\?|(?:~|null|Null|NULL)?[ \t]*:)(?:[ \t]|$)|[[{,][ \t]*(?:~|null|Null|NULL)?[ \t]*:(?:[ \t]|$|[,}\]])|(?:^[ \t]*(?:-[ \t]+)*|[[{,][ \t]*)[[{][^\n]*[\]}][ \t]*:(?:[ \t]|$)/m;

const nullTest = /^(?:~|[Nn]ull|NULL)?$/;
const boolTest = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const intOctTest = /^0o[0-7]+$/;
const intTest = /^[-+]?[0-9]+$/;
const intHexTest = /^0x[0-9a-fA-F]+$/;
const floatNaNTest = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const floatExpTest = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const floatTest = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

/** The YAML 1.2 core schema's plain scalars as `yaml` resolves them (in its order: null, bool, int, float). */
const yamlCoreSchema = jsYaml.FAILSAFE_SCHEMA.extend({
  implicit: [
    new jsYaml.Type('tag:yaml.org,2002:null', {
      kind: 'scalar',
      resolve: (data: string) => nullTest.test(data),
      construct: () => null,
    }),
    new jsYaml.Type('tag:yaml.org,2002:bool', {
      kind: 'scalar',
      resolve: (data: string) => boolTest.test(data),
      construct: (data: string) => data[0] === 't' || data[0] === 'T',
    }),
    new jsYaml.Type('tag:yaml.org,2002:int', {
      kind: 'scalar',
      resolve: (data: string) => intOctTest.test(data) || intTest.test(data) || intHexTest.test(data),
      construct: (data: string) =>
        intOctTest.test(data)
          ? Number.parseInt(data.substring(2), 8)
          : intTest.test(data)
            ? Number.parseInt(data, 10)
            : Number.parseInt(data.substring(2), 16),
    }),
    new jsYaml.Type('tag:yaml.org,2002:float', {
      kind: 'scalar',
      resolve: (data: string) => floatNaNTest.test(data) || floatExpTest.test(data) || floatTest.test(data),
      construct: (data: string) =>
        floatNaNTest.test(data)
          ? data.slice(-3).toLowerCase() === 'nan'
            ? Number.NaN
            : data[0] === '-'
              ? Number.NEGATIVE_INFINITY
              : Number.POSITIVE_INFINITY
          : Number.parseFloat(data),
    }),
  ],
});
