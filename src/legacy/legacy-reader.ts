import { createReadStream } from 'node:fs';
import { parser } from 'stream-json/Parser';
import { isRecordSection, KNOWN_SECTIONS, LegacyFileError, RECORD_SECTIONS } from './legacy-format';

/**
 * What the reader yields, in file order: `open` for each keyed section (even an empty one), `entry`
 * for each of its entries (for `token_hashes` one hash, with its kind as `group`), `whole` for a small
 * section read at once.
 */
export type LegacyEntry =
  | { kind: 'open'; section: string }
  | { kind: 'entry'; section: string; key: string; value: unknown; group?: string }
  | { kind: 'whole'; section: string; value: unknown };

/** Sections that are objects keyed by building id or token, read entry by entry: they grow with the data. */
const KEYED_SECTIONS: ReadonlySet<string> = new Set([...RECORD_SECTIONS, 'verification_tokens', 'unsubscribe_tokens', 'created_at', 'token_history']);
/** `token_hashes` is keyed by kind, then by hash: read hash by hash. */
const GROUPED_SECTIONS: ReadonlySet<string> = new Set(['token_hashes']);
/** Known but not needed (the communities are recomputed), and as large as the records: skipped like unknown keys. */
const UNUSED_SECTIONS: ReadonlySet<string> = new Set(['clusters']);

type Token = { name: string; value?: unknown };

/** Builds JSON values from parser tokens, one at a time. */
class ValueAssembler {
  private stack: (Record<string, unknown> | unknown[])[] = [];
  private keys: (string | null)[] = [];
  private pendingKey: string | null = null;
  done = false;
  value: unknown;

  /** Feeds a token; returns true when the value is complete. */
  consume(token: Token): boolean {
    switch (token.name) {
      case 'startObject':
        this.open({});
        return false;
      case 'startArray':
        this.open([]);
        return false;
      case 'endObject':
      case 'endArray': {
        const finished = this.stack.pop();
        this.pendingKey = this.keys.pop() ?? null;
        return this.add(finished);
      }
      case 'keyValue':
        this.pendingKey = token.value as string;
        return false;
      case 'stringValue':
        return this.add(token.value);
      case 'numberValue':
        return this.add(Number(token.value));
      case 'nullValue':
        return this.add(null);
      case 'trueValue':
        return this.add(true);
      case 'falseValue':
        return this.add(false);
      default:
        return false;
    }
  }

  private open(container: Record<string, unknown> | unknown[]): void {
    this.keys.push(this.pendingKey);
    this.pendingKey = null;
    this.stack.push(container);
  }

  private add(value: unknown): boolean {
    const parent = this.stack.at(-1);
    if (parent === undefined) {
      this.value = value;
      this.done = true;
      return true;
    }
    if (Array.isArray(parent)) parent.push(value);
    else Object.defineProperty(parent, this.pendingKey ?? '', { value, enumerable: true, writable: true, configurable: true });
    this.pendingKey = null;
    return false;
  }
}

/**
 * Streams one of the previous version's files: entries of the keyed sections (records and tokens) one
 * by one, so that neither file is ever in memory whole; other known sections whole (they are small:
 * contact states, timestamps), unknown top-level keys skipped. Invalid JSON or a file that is not an
 * object fails with LegacyFileError.
 */
export async function* readLegacyFile(path: string): AsyncGenerator<LegacyEntry> {
  const source = createReadStream(path);
  const tokens = source.pipe(parser({ packValues: true, streamValues: false }));
  // pipe() does not pass on the source's errors (a missing or unreadable file): without this the
  // stream's 'error' event goes unhandled and the process crashes instead of reporting it.
  source.on('error', (error) => tokens.destroy(error));
  // 1: in the file's object; 2: in a keyed or grouped section; 3: in a group of token_hashes
  let depth = 0;
  let section = '';
  let group: string | undefined;
  let entryKey: string | null = null;
  let assembler: ValueAssembler | null = null;
  let skipping = false;
  let sawObject = false;
  try {
    for await (const token of tokens as AsyncIterable<Token>) {
      if (assembler) {
        if (!assembler.consume(token)) continue;
        const value = assembler.value;
        assembler = null;
        if (!skipping) yield depth === 1 ? { kind: 'whole', section, value } : { kind: 'entry', section, key: entryKey ?? '', value, ...(depth === 3 ? { group } : {}) };
        skipping = false;
        entryKey = null;
        continue;
      }
      if (depth === 0) {
        if (token.name !== 'startObject') throw new LegacyFileError('the file does not contain a JSON object');
        sawObject = true;
        depth = 1;
        continue;
      }
      if (token.name === 'endObject') {
        depth--;
        group = undefined;
        continue;
      }
      if (depth === 1) {
        if (token.name === 'keyValue') {
          section = token.value as string;
          continue;
        }
        if (KEYED_SECTIONS.has(section) || GROUPED_SECTIONS.has(section)) {
          if (token.name !== 'startObject') {
            const keyedBy = isRecordSection(section) ? ' keyed by building id' : '';
            throw new LegacyFileError(`"${section}" must be an object${keyedBy}`);
          }
          depth = 2;
          yield { kind: 'open', section };
          continue;
        }
        skipping = !KNOWN_SECTIONS.has(section) || UNUSED_SECTIONS.has(section);
        if (skipping && token.name !== 'startObject' && token.name !== 'startArray') {
          skipping = false;
          continue;
        }
        // Skipped sections are only counted through (their content is dropped).
        assembler = skipping ? new SkippingAssembler() : new ValueAssembler();
        if (assembler.consume(token)) {
          yield { kind: 'whole', section, value: assembler.value };
          assembler = null;
        }
        continue;
      }
      if (token.name === 'keyValue') {
        entryKey = token.value as string;
        if (depth === 3 || KEYED_SECTIONS.has(section)) assembler = new ValueAssembler();
        continue;
      }
      // depth 2 of token_hashes: the value of a kind
      if (token.name === 'startObject') {
        group = entryKey ?? '';
        depth = 3;
      } else if (token.name === 'startArray') {
        // not a kind's hashes: nothing to read in it
        skipping = true;
        assembler = new SkippingAssembler();
        assembler.consume(token);
      }
    }
  } catch (error) {
    if (error instanceof LegacyFileError) throw error;
    if ((error as NodeJS.ErrnoException).syscall) throw new LegacyFileError(`cannot read ${path}: ${(error as Error).message}`);
    throw new LegacyFileError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (!sawObject) throw new LegacyFileError(`${path} is empty`);
}

/** Counts nesting without keeping anything, from the first token inside an object or array on. */
class SkippingAssembler extends ValueAssembler {
  private level = 0;

  override consume(token: Token): boolean {
    if (token.name === 'startObject' || token.name === 'startArray') this.level++;
    else if (token.name === 'endObject' || token.name === 'endArray') this.level--;
    else return false;
    return this.level === 0;
  }
}
