import { pathToFileURL } from 'node:url';
import pino from 'pino';
import { ConfigError, loadConfig, type Config } from '../config';
import { openDurableStores, type InfrastructureOptions } from '../infrastructure';
import { DataCipher } from '../store/encrypted/cipher';
import { reencryptEverything, type ReencryptReport } from '../store/encrypted/rotate';
import { mergeWithGc } from '../yjs/doc-writes';
import { parseDocName } from '@parley/shared/protocol/ids';

/**
 * `npm run rotate-key`: re-encrypts everything stored with DATA_KEY, reading what was
 * written with DATA_KEY_PREVIOUS, then moves the key check to DATA_KEY — after which
 * DATA_KEY_PREVIOUS can be dropped. On data that was never encrypted it encrypts it (stop
 * Parley first). Same environment as the server; see docs/operations.md.
 */
export async function rotateKey(config: Config, opts: InfrastructureOptions = {}, print: (line: string) => void = () => undefined): Promise<ReencryptReport> {
  if (!config.dataKey) throw new ConfigError('Invalid configuration: DATA_KEY is not set (the key to encrypt the data with)');
  const log = pino({ level: config.logLevel });
  const stores = await openDurableStores(config, opts, log);
  try {
    return await reencryptEverything({
      docs: stores.docs,
      encryption: stores.encryption,
      cipher: new DataCipher(config.dataKey, config.dataKeyPrevious),
      merge: mergeWithGc,
      isSealedDoc: async (docName) => {
        const ref = parseDocName(docName);
        return ref !== null && ref.kind !== 'room' && ((await stores.rooms.getRoom(ref.roomId))?.sealed ?? false);
      },
      now: Date.now,
      onProgress: print,
    });
  } finally {
    await stores.database.close();
  }
}

async function main(): Promise<void> {
  const print = (line: string) => process.stdout.write(`${line}\n`);
  try {
    const report = await rotateKey(loadConfig(), {}, print);
    print(report.mode === 'encrypt' ? 'done: the data is now encrypted with DATA_KEY' : 'done: everything is encrypted with DATA_KEY; DATA_KEY_PREVIOUS can be removed');
  } catch (error) {
    // One line, like the server's start-up errors; never a key or any content.
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) void main();
