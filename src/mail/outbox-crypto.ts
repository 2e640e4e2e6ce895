import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Env } from '../config/env.validation';

/** A message rendered when it was queued: everything that could identify or reach a person. */
export type RenderedMessage = {
  to: string;
  subject: string;
  text: string;
  html: string;
  headers?: Record<string, string>;
};

/**
 * A message composed when it is sent, by the composer registered under that name, from its
 * recipient's building id, the buildings it may name and this data. Mails that list many people
 * (contact overviews) wait in this form: a first recomputation queues tens of thousands of them, and
 * each rendered one would weigh about 25 kB (50 contacts, twice: text and HTML), where this weighs a
 * kilobyte or two. The buildings it may name wait sealed here, not in the row's indexed mentions:
 * the composer names only those still registered when it is sent, and those become the mentions.
 */
export type DeferredMessage = {
  composer: string;
  data: Record<string, unknown>;
  /** Absent from mails queued before the list was sealed here: theirs is still the row's. */
  mentions?: string[];
};

/** What the outbox holds for one mail, encrypted. */
export type OutboxPayload = RenderedMessage | DeferredMessage;

export function isDeferred(payload: OutboxPayload): payload is DeferredMessage {
  return 'composer' in payload;
}

function isOutboxPayload(value: unknown): value is OutboxPayload {
  if (typeof value !== 'object' || value === null) return false;
  const payload = value as Record<string, unknown>;
  if ('composer' in payload) {
    return typeof payload.composer === 'string' && typeof payload.data === 'object' && payload.data !== null && (payload.mentions === undefined || Array.isArray(payload.mentions));
  }
  return typeof payload.to === 'string' && typeof payload.subject === 'string';
}

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + IV_BYTES + TAG_BYTES;

/** Thrown when a payload was not written with this key (APP_SECRET changed), was altered, or is malformed. */
export class OutboxPayloadError extends Error {
  constructor(reason: string) {
    super(`Outbox payload cannot be decrypted: ${reason}`);
    this.name = 'OutboxPayloadError';
  }
}

/** The 256-bit key for one purpose, derived from APP_SECRET with HKDF-SHA256. */
export function deriveOutboxKey(secret: string, info = 'mail-outbox'): Buffer {
  if (!secret) throw new Error('APP_SECRET is required to encrypt the mail outbox');
  return Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.alloc(0), info, 32));
}

/** AES-256-GCM: version byte | 12-byte IV | 16-byte tag | ciphertext. The version byte is authenticated too. */
export function encryptPayload(key: Buffer, message: OutboxPayload, iv: Buffer = randomBytes(IV_BYTES)): Buffer {
  const version = Buffer.from([VERSION]);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(version);
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(message), 'utf8'), cipher.final()]);
  return Buffer.concat([version, iv, cipher.getAuthTag(), ciphertext]);
}

export function decryptPayload(key: Buffer, payload: Buffer): OutboxPayload {
  if (payload.length < HEADER_BYTES) throw new OutboxPayloadError('too short');
  if (payload[0] !== VERSION) throw new OutboxPayloadError(`unknown version ${payload[0]}`);
  const iv = payload.subarray(1, 1 + IV_BYTES);
  const tag = payload.subarray(1 + IV_BYTES, HEADER_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(payload.subarray(0, 1));
  decipher.setAuthTag(tag);
  let plain: Buffer;
  try {
    plain = Buffer.concat([decipher.update(payload.subarray(HEADER_BYTES)), decipher.final()]);
  } catch {
    throw new OutboxPayloadError('authentication failed (APP_SECRET changed or data altered)');
  }
  const message: unknown = JSON.parse(plain.toString('utf8'));
  if (!isOutboxPayload(message)) throw new OutboxPayloadError('not an outbox message');
  return message;
}

/** Convenience for tools and tests: encrypt with the key derived from an APP_SECRET. */
export function encryptMessage(secret: string, message: OutboxPayload): Buffer {
  return encryptPayload(deriveOutboxKey(secret), message);
}

/** Convenience for tools and tests: decrypt with the key derived from an APP_SECRET. */
export function decryptMessage(secret: string, payload: Buffer): OutboxPayload {
  return decryptPayload(deriveOutboxKey(secret), payload);
}

/**
 * The outbox keys, derived once from APP_SECRET: one to encrypt messages, one to turn idempotency
 * keys (which may contain building ids) into opaque values that cannot be traced back to a building.
 */
@Injectable()
export class OutboxCipher {
  private readonly messageKey: Buffer;
  private readonly idempotencyKey: Buffer;

  constructor(config: ConfigService<Env, true>) {
    const secret = config.get('APP_SECRET', { infer: true }) ?? '';
    this.messageKey = deriveOutboxKey(secret);
    this.idempotencyKey = deriveOutboxKey(secret, 'mail-outbox-idempotency');
  }

  seal(message: OutboxPayload): Buffer {
    return encryptPayload(this.messageKey, message);
  }

  /** seal() for many messages, their random IVs drawn in one call (one call each costs more than the encryption). */
  sealMany(messages: readonly OutboxPayload[]): Buffer[] {
    const ivs = randomBytes(IV_BYTES * messages.length);
    return messages.map((message, index) => encryptPayload(this.messageKey, message, ivs.subarray(index * IV_BYTES, (index + 1) * IV_BYTES)));
  }

  open(payload: Buffer): OutboxPayload {
    return decryptPayload(this.messageKey, payload);
  }

  /** 64 hex characters, stable for a given key and APP_SECRET. */
  opaqueKey(idempotencyKey: string): string {
    return createHmac('sha256', this.idempotencyKey).update(idempotencyKey, 'utf8').digest('hex');
  }
}
