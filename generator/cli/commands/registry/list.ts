import { Command } from '@oclif/core';
import type { Mode } from '../../../check/findings.js';
import { loadStore, openProject } from '../../../registry/project.js';
import { projectFlag, reportFailure, storeFlag } from '../../registry-shared.js';

interface ListedSubject {
  readonly subject: string;
  readonly mode: Mode;
  readonly latest: number;
  readonly publishedAt?: string;
  readonly file: string;
}

export default class RegistryList extends Command {
  static override summary = 'List the registry subjects with their mode and latest version.';
  static override enableJsonFlag = true;
  static override flags = { project: projectFlag, store: storeFlag };

  async run(): Promise<ListedSubject[] | undefined> {
    const { flags } = await this.parse(RegistryList);
    try {
      const store = await loadStore(await openProject(flags.project, flags.store));
      const rows = store.map((s) => ({
        subject: s.subject,
        mode: s.mode,
        latest: s.versions.length,
        ...(s.versions.at(-1) ? { publishedAt: s.versions.at(-1)?.publishedAt } : {}),
        file: s.file.displayPath,
      }));
      if (!this.jsonEnabled()) {
        if (rows.length === 0) this.log('The registry is empty: run evtgen registry publish.');
        const width = Math.max(0, ...rows.map((r) => r.subject.length));
        for (const r of rows)
          this.log(`${r.subject.padEnd(width)}  v${r.latest}  ${r.mode.padEnd(19)}  ${r.publishedAt ?? ''}`);
      }
      return rows;
    } catch (error) {
      return reportFailure(error);
    }
  }
}
