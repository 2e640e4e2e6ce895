import { createReadStream } from 'node:fs';
import { parser } from 'stream-json/Parser';
import { KNOWN_SECTIONS, LegacyFileError, RECORD_SECTIONS } from './legacy-format';

/** One entry of a record section (`buildings`, `interest_pool`), or a whole other section (key null). */
export type LegacyEntry = { section: string; key: string | null; value: unknown };

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
 * Streams one of the previous version's files: entries of `buildings` and `interest_pool` one by one
 * (never the whole file in memory), other known sections whole (they are small: tokens and contact
 * states), unknown top-level keys skipped. Invalid JSON or a file that is not an object fails with
 * LegacyFileError.
 */
export async function* readLegacyFile(path: string): AsyncGenerator<LegacyEntry> {
  const source = createReadStream(path);
  const tokens = source.pipe(parser({ packValues: true, streamValues: false }));
  // pipe() does not pass on the source's errors (a missing or unreadable file): without this the
  // stream's 'error' event goes unhandled and the process crashes instead of reporting it.
  source.on('error', (error) => tokens.destroy(error));
  let depth = 0;
  let section: string | null = null;
  let entryKey: string | null = null;
  let assembler: ValueAssembler | null = null;
  let skipping = false;
  let sawObject = false;
  try {
    for await (const token of tokens as AsyncIterable<Token>) {
      if (assembler) {
        if (assembler.consume(token)) {
          if (!skipping) yield { section: section ?? '', key: entryKey, value: assembler.value };
          assembler = null;
          skipping = false;
          entryKey = null;
          if (depth === 1) section = null;
        }
        continue;
      }
      if (depth === 0) {
        if (token.name !== 'startObject') throw new LegacyFileError('the file does not contain a JSON object');
        sawObject = true;
        depth = 1;
        continue;
      }
      if (depth === 1) {
        if (token.name === 'endObject') {
          depth = 0;
          continue;
        }
        if (token.name === 'keyValue') {
          section = token.value as string;
          continue;
        }
        if ((RECORD_SECTIONS as readonly string[]).includes(section ?? '')) {
          if (token.name !== 'startObject') throw new LegacyFileError(`"${section}" must be an object keyed by building id`);
          depth = 2;
          continue;
        }
        assembler = new ValueAssembler();
        skipping = !KNOWN_SECTIONS.has(section ?? '');
        if (assembler.consume(token)) {
          if (!skipping) yield { section: section ?? '', key: null, value: assembler.value };
          assembler = null;
          section = null;
        } else if (skipping) {
          // Still assembled (simplest), but dropped when complete: unknown sections are small in practice.
          assembler = new SkippingAssembler(assembler);
        }
        continue;
      }
      // depth 2: inside a record section
      if (token.name === 'endObject') {
        depth = 1;
        section = null;
        continue;
      }
      if (token.name === 'keyValue') {
        entryKey = token.value as string;
        skipping = false;
        assembler = new ValueAssembler();
        continue;
      }
    }
  } catch (error) {
    if (error instanceof LegacyFileError) throw error;
    if ((error as NodeJS.ErrnoException).syscall) throw new LegacyFileError(`cannot read ${path}: ${(error as Error).message}`);
    throw new LegacyFileError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (!sawObject) throw new LegacyFileError(`${path} is empty`);
}

/** Counts nesting without keeping anything, for top-level keys the importer does not know. */
class SkippingAssembler extends ValueAssembler {
  private level = 1;

  constructor(_started: ValueAssembler) {
    super();
  }

  override consume(token: Token): boolean {
    if (token.name === 'startObject' || token.name === 'startArray') this.level++;
    else if (token.name === 'endObject' || token.name === 'endArray') this.level--;
    else return false;
    return this.level === 0;
  }
}
