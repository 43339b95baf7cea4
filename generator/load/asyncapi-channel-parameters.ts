import type { Diagnostic } from '../diagnostics.js';
import { isObject, joinPointer } from './json-pointer.js';
import type { SourceFile } from './source-file.js';

/**
 * The AsyncAPI parser's `asyncapi3-channel-parameters` rule, done by evtgen: when a channel declares
 * `parameters`, every `{name}` in its address must be one and every parameter must appear in the
 * address. The parser's own rule is switched off (asyncapi-validate.ts) because Spectral evaluates it
 * over the resolved document, which took seconds and grew with the square of the spec size; here
 * each channel is read once, where it is written (in `channels` or `components.channels`).
 */
export function checkChannelParameters(file: SourceFile): Diagnostic[] {
  const doc = isObject(file.value) ? file.value : {};
  const components = isObject(doc.components) ? doc.components : {};
  const diagnostics: Diagnostic[] = [];
  for (const [base, channels] of [
    ['/channels', doc.channels],
    ['/components/channels', components.channels],
  ] as const) {
    if (!isObject(channels)) continue;
    for (const [key, channel] of Object.entries(channels)) {
      if (!isObject(channel) || typeof channel.$ref === 'string' || !isObject(channel.parameters)) continue;
      const pointer = joinPointer(base, key, 'parameters');
      const inAddress = typeof channel.address === 'string' ? addressVariables(channel.address) : [];
      const declared = Object.keys(channel.parameters);
      const missing = inAddress.filter((name) => !Object.hasOwn(channel.parameters as object, name));
      const at = (where: string, message: string, hint: string): Diagnostic => ({
        severity: 'error',
        code: 'asyncapi/asyncapi3-channel-parameters',
        message,
        file: file.displayPath,
        position: file.locate(where),
        pointer: where,
        hint,
      });
      if (missing.length > 0) {
        diagnostics.push(
          at(
            pointer,
            `Not all channel's parameters are described with "parameters" object. Missed: ${missing.join(', ')}.`,
            `Describe ${missing.map((m) => `"${m}"`).join(', ')} under parameters, or remove it from the address.`,
          ),
        );
      }
      for (const name of declared.filter((d) => !inAddress.includes(d))) {
        diagnostics.push(
          at(
            joinPointer(pointer, name),
            `Channel's "parameters" object has redundant defined "${name}" parameter.`,
            `Use {${name}} in the channel address, or remove the parameter.`,
          ),
        );
      }
    }
  }
  return diagnostics;
}

/** `orders.{region}.{id}` → `['region', 'id']`, as the parser reads them. */
function addressVariables(address: string): string[] {
  return [...address.matchAll(/{(.+?)}/g)].map((match) => match[1] ?? '');
}
