import { describe, expect, it } from 'vitest';
import { parseSource } from '../../generator/load/source-file.js';

describe('source files', () => {
  const yaml = ['info:', '  title: Orders', 'list:', '  - a', '  - b: 1', '    c: 2', ''].join('\n');

  it('maps JSON pointers back to line and column (1-based, at the key)', () => {
    const { file, diagnostics } = parseSource(yaml, '/x/a.yaml', 'specs/a.yaml');
    expect(diagnostics).toEqual([]);
    expect(file.locate('/info/title')).toEqual({ line: 2, column: 3 });
    expect(file.locate('/list/1/c')).toEqual({ line: 6, column: 5 });
    expect(file.locate('/list/1')).toEqual({ line: 5, column: 5 });
  });

  it('falls back to the deepest existing ancestor for a missing pointer', () => {
    const { file } = parseSource(yaml, '/x/a.yaml', 'specs/a.yaml');
    expect(file.locate('/info/missing/deeper')).toEqual({ line: 1, column: 1 });
    expect(file.locate('/list/9')).toEqual({ line: 3, column: 1 });
  });

  it('reads JSON with positions too', () => {
    const { file } = parseSource('{\n  "a": {\n    "b": true\n  }\n}\n', '/x/a.json', 'specs/a.json');
    expect(file.locate('/a/b')).toEqual({ line: 3, column: 5 });
    expect(file.value).toEqual({ a: { b: true } });
  });

  it('reports malformed YAML as a located diagnostic, not an exception', () => {
    const { diagnostics, file } = parseSource('a: [1, 2\nb: 3\n', '/x/a.yaml', 'specs/a.yaml');
    expect(file.value).toBeUndefined();
    expect(diagnostics[0]?.code).toBe('yaml-syntax');
    expect(diagnostics[0]?.file).toBe('specs/a.yaml');
    expect(diagnostics[0]?.position.line).toBeGreaterThan(0);
  });

  it('rejects duplicate keys', () => {
    const { diagnostics } = parseSource('a: 1\na: 2\n', '/x/a.yaml', 'specs/a.yaml');
    expect(diagnostics.map((d) => d.code)).toEqual(['yaml-syntax']);
    expect(diagnostics[0]?.position).toEqual({ line: 2, column: 1 });
  });
});
