import { describe, expect, it } from 'vitest';
import { checkExtension } from '../../generator/load/extensions.js';
import { parseSource } from '../../generator/load/source-file.js';

describe('extension values', () => {
  it('reports an unknown field at its own key, naming the known ones', () => {
    const yaml = ['x-throttling:', '  rateLimit: 10', '  burst: 20', '  burstLimit: 20', ''].join('\n');
    const { file } = parseSource(yaml, '/x/a.yaml', 'specs/a.yaml');
    const value = (file.value as Record<string, unknown>)['x-throttling'];
    expect(checkExtension('throttling', 'x-throttling', value, file, '/x-throttling')).toEqual([
      {
        severity: 'error',
        code: 'extension-invalid',
        message: 'Invalid x-throttling.burst: unknown field (known: "rateLimit", "burstLimit").',
        file: 'specs/a.yaml',
        position: { line: 3, column: 3 },
        pointer: '/x-throttling/burst',
        hint: 'See the x-throttling reference in docs/specs.md (schema: generator/extensions/throttling.schema.json).',
      },
    ]);
  });

  it('reports a bad value at the value, with what it found', () => {
    const { file } = parseSource(
      'x-throttling:\n  rateLimit: 0\n  burstLimit: 1\n',
      '/x/a.yaml',
      'specs/a.yaml',
    );
    const value = (file.value as Record<string, unknown>)['x-throttling'];
    const [problem] = checkExtension('throttling', 'x-throttling', value, file, '/x-throttling');
    expect(problem?.message).toBe('Invalid x-throttling.rateLimit 0: must be > 0.');
    expect(problem?.position).toEqual({ line: 2, column: 3 });
    expect(problem?.pointer).toBe('/x-throttling/rateLimit');
  });
});
