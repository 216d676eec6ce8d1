/**
 * Records the keyspace notifications a command script causes on one server:
 * a subscriber PSUBSCRIBEs to every `__key*__:*` channel, the script runs on
 * another connection, and after each command a marker is PUBLISHed on
 * `__keyend__:<index>` (which the same pattern matches), so every event is
 * attributed to the command that caused it. PUBLISH is propagated, so the
 * markers also reach a subscriber on a replica of the server the script
 * runs on, in stream order. Inside MULTI the events of the queued commands
 * are attributed to EXEC.
 */
import { RespConnection, RespError } from './resp-connection';

export type Command = ReadonlyArray<string | number | Buffer>;

export interface CommandEvents {
  /** The command as typed. */
  readonly command: string;
  /** Its reply, decoded and printed (errors as "ERR ..."). */
  readonly reply: string;
  /** "channel message" for each notification it caused, in arrival order. */
  readonly events: string[];
}

export interface Recorder {
  /** Runs the script and returns the events of each command. */
  run(script: ReadonlyArray<Command>): Promise<CommandEvents[]>;
  close(): void;
}

const PATTERN = '__key*__:*';
const MARKER_PREFIX = '__keyend__:';

function print(value: unknown): string {
  if (value instanceof RespError) return value.message;
  return JSON.stringify(value, (_key, inner: unknown) => (typeof inner === 'bigint' ? inner.toString() : inner));
}

/**
 * Subscribes on `listenPort` and runs scripts on `commandPort` (the same
 * server, or its master when the listener is a replica).
 */
export async function keyspaceEventRecorder(commandPort: number, listenPort: number = commandPort): Promise<Recorder> {
  const subscriber = new RespConnection('127.0.0.1', listenPort);
  const client = new RespConnection('127.0.0.1', commandPort);
  await subscriber.call('PSUBSCRIBE', PATTERN);
  let markers = 0;

  /** Reads messages until the marker `index` arrives; returns what came before it. */
  async function eventsUntil(marker: string): Promise<string[]> {
    const events: string[] = [];
    for (;;) {
      const { value } = await subscriber.nextReply();
      const items = value as unknown[];
      if (!Array.isArray(items) || items[0] !== 'pmessage') throw new Error(`unexpected push ${print(value)}`);
      const channel = String(items[2]);
      if (channel === marker) return events;
      if (channel.startsWith(MARKER_PREFIX)) throw new Error(`marker ${channel} arrived while waiting for ${marker}`);
      events.push(`${channel} ${String(items[3])}`);
    }
  }

  return {
    async run(script) {
      const out: CommandEvents[] = [];
      let inTransaction = false;
      for (const command of script) {
        const reply = await client.call(...command);
        const name = String(command[0]).toUpperCase();
        // Queued commands run at EXEC: their events are EXEC's (a marker would be queued too).
        if (name === 'MULTI') inTransaction = true;
        if (inTransaction && name !== 'EXEC' && name !== 'DISCARD') {
          out.push({ command: command.join(' '), reply: print(reply), events: [] });
          continue;
        }
        inTransaction = false;
        const marker = `${MARKER_PREFIX}${markers++}`;
        await client.call('PUBLISH', marker, 'end');
        out.push({ command: command.join(' '), reply: print(reply), events: await eventsUntil(marker) });
      }
      return out;
    },
    close() {
      subscriber.close();
      client.close();
    },
  };
}

/** Every command whose reply or events differ between the two transcripts. */
export function transcriptDifferences(redis: ReadonlyArray<CommandEvents>, ours: ReadonlyArray<CommandEvents>): Array<{ redis: CommandEvents; ours: CommandEvents | undefined }> {
  const differences: Array<{ redis: CommandEvents; ours: CommandEvents | undefined }> = [];
  redis.forEach((expected, index) => {
    const actual = ours[index];
    if (!actual || actual.reply !== expected.reply || actual.events.join('\n') !== expected.events.join('\n')) {
      differences.push({ redis: expected, ours: actual });
    }
  });
  return differences;
}

/**
 * The script's transcript on each server (a fresh FLUSHALL, then
 * notify-keyspace-events set to `classes` for the script and cleared
 * after), in the order of the ports given.
 */
export async function eventTranscripts(ports: ReadonlyArray<number>, classes: string, script: ReadonlyArray<Command>): Promise<CommandEvents[][]> {
  const transcripts: CommandEvents[][] = [];
  for (const port of ports) {
    const recorder = await keyspaceEventRecorder(port);
    try {
      await recorder.run([['FLUSHALL'], ['CONFIG', 'SET', 'notify-keyspace-events', classes]]);
      transcripts.push(await recorder.run(script));
      await recorder.run([['CONFIG', 'SET', 'notify-keyspace-events', '']]);
    } finally {
      recorder.close();
    }
  }
  return transcripts;
}
