import type { Hook } from '@oclif/core';
import { closest } from '../suggest.js';

/**
 * A mistyped command: say what is closest and exit 2 (a usage error, as everywhere in evtgen).
 * Used instead of @oclif/plugin-not-found, which prints no suggestion when stdin is not a terminal
 * (CI logs, scripts), exits 127, and on a terminal offers to run its guess.
 */
const notFound: Hook<'command_not_found'> = async function ({ id, argv, config }) {
  const separator = config.topicSeparator;
  const spoken = (commandId: string) => commandId.replaceAll(':', separator);
  const visible = config.commands.filter((command) => !command.hidden).map((command) => command.id);
  const candidates = [
    ...visible,
    ...config.topics.filter((topic) => !topic.hidden).map((topic) => topic.name),
  ];
  // `evtgen regsitry lst` arrives as id "regsitry" (or "regsitry:lst") with the rest in argv.
  const words = id.split(':');
  const next = argv?.[0];
  const tried = next && !next.startsWith('-') && words.length === 1 ? [...words, next] : words;
  const guess =
    closest(tried.join(':'), visible) ??
    closest(words.join(':'), candidates) ??
    closest(words[0] as string, candidates);
  const lines = [`"${spoken(id)}" is not an ${config.bin} command.`];
  if (guess) lines.push(`Did you mean "${config.bin} ${spoken(guess)}"?`);
  lines.push(`Run \`${config.bin} --help\` for the list of commands.`);
  this.error(lines.join('\n'), { exit: 2 });
};

export default notFound;
