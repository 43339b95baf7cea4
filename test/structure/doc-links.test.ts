// The README is a front door and docs/ the rooms behind it: every relative link in README.md and
// docs/*.md must lead somewhere — the file exists, and a `#anchor` names a heading (as GitHub slugs
// it) or an explicit `<a id>` of that file.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Markdown with fenced blocks and code spans blanked out: links there are examples, not links. */
function withoutCode(text: string): string {
  return text.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/(`+)[^`\n]*?\1/g, 'code');
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces → hyphens, repeats numbered. */
function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const text = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
  for (const match of text.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = (match[1] ?? '')
      .replace(/<[^>]+>/g, '')
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  for (const match of markdown.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(match[1] ?? '');
  return anchors;
}

/** Every `[text](target)` that is not a URL: the target as written. */
function relativeLinks(markdown: string): string[] {
  const links: string[] = [];
  for (const match of withoutCode(markdown).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
    const target = match[1] ?? '';
    if (!/^[a-z][a-z0-9+.-]*:/i.test(target)) links.push(target);
  }
  return links;
}

/** What is wrong with one link from `file`, or undefined when it resolves. */
function brokenLink(file: string, target: string): string | undefined {
  const [path = '', anchor] = target.split('#', 2);
  const goal = path === '' ? file : resolve(dirname(file), decodeURIComponent(path));
  if (!existsSync(goal)) return `${target}: ${relative(root, goal)} does not exist`;
  if (anchor === undefined || anchor === '') return undefined;
  if (statSync(goal).isDirectory() || !goal.endsWith('.md'))
    return `${target}: an anchor into a file that is not Markdown`;
  if (!headingAnchors(readFileSync(goal, 'utf8')).has(decodeURIComponent(anchor)))
    return `${target}: ${relative(root, goal)} has no heading #${anchor}`;
  return undefined;
}

const documents = [
  join(root, 'README.md'),
  ...readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => join(root, 'docs', name)),
];

describe('links in README.md and docs/', () => {
  it('the slugger and the link finder read Markdown as GitHub does (controls)', () => {
    expect([...headingAnchors('# A (`b c`)\n## Modes and who reads what\n## A (`b c`)\n')]).toEqual([
      'a-b-c',
      'modes-and-who-reads-what',
      'a-b-c-1',
    ]);
    expect(relativeLinks('[a](x.md#y) [b](https://e.org) `[c](no.md)`\n```\n[d](no.md)\n```\n')).toEqual([
      'x.md#y',
    ]);
    // A broken link and a broken anchor are found, so the test below can fail.
    expect(brokenLink(join(root, 'README.md'), 'docs/no-such-guide.md')).toMatch(/does not exist/);
    expect(brokenLink(join(root, 'README.md'), 'docs/specs.md#no-such-heading')).toMatch(/no heading/);
  });

  it.each(documents.map((file) => [relative(root, file), file]))(
    'every relative link in %s resolves',
    (_, file) => {
      const broken = relativeLinks(readFileSync(file, 'utf8'))
        .map((target) => brokenLink(file, target))
        .filter((problem) => problem !== undefined);
      expect(broken).toEqual([]);
    },
  );

  it('every guide in docs/ is reachable from the README (directly or through a guide it links)', () => {
    const reached = new Set<string>();
    const queue = [join(root, 'README.md')];
    while (queue.length > 0) {
      const file = queue.pop() as string;
      if (reached.has(file)) continue;
      reached.add(file);
      for (const target of relativeLinks(readFileSync(file, 'utf8'))) {
        const path = target.split('#', 1)[0] ?? '';
        if (!path.endsWith('.md')) continue;
        const goal = resolve(dirname(file), path);
        if (existsSync(goal)) queue.push(goal);
      }
    }
    expect(documents.filter((file) => !reached.has(file)).map((file) => relative(root, file))).toEqual([]);
  });
});
