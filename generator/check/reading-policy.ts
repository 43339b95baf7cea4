// The reading policy of the compatibility engine: how the generated validators read, and so how
// `evtgen check` and `evtgen registry` judge a change. Shared by both commands (neither imports the
// other's command code for it).

/** The reading policy: how the generated validators read, and so how the checker judges. */
export const readingPolicy =
  'schema-exact: as the generated validators read (ajv, formats asserted, own properties only, no coercion of bodies or events); unknown properties are accepted unless the object is closed (additionalProperties/unevaluatedProperties: false); readOnly, writeOnly and discriminator are annotations (reported, never breaking)';
