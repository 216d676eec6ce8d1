/**
 * <COMMAND> HELP replies, laid out exactly like Redis's addReplyHelp: a
 * header line, the given lines, then "HELP / Prints this help.", each as a
 * status string.
 */
import { array, simple, type Reply } from '../resp/reply';

export function helpReply(command: string, lines: ReadonlyArray<string>): Reply {
  const all = [`${command.toUpperCase()} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`, ...lines, 'HELP', '    Prints this help.'];
  return array(all.map((line) => simple(line)));
}
