import { randomBytes } from 'node:crypto';
import { ConfigService } from '@nestjs/config';
import { decryptPayload, deriveOutboxKey, encryptPayload, OutboxCipher, OutboxPayload, OutboxPayloadError } from './outbox-crypto';

const SECRET = 'unit-secret-0123456789abcdef0123456789abcdef';
const message: OutboxPayload = {
  to: 'anna@example.ch',
  subject: 'Bitte bestätigen Sie Ihre Teilnahme',
  text: 'https://leg.example.ch/confirm/abc',
  html: '<a href="https://leg.example.ch/confirm/abc">Bestätigen</a>',
  headers: { 'X-Test': 'ü' },
};

describe('outbox crypto', () => {
  const key = deriveOutboxKey(SECRET);

  it('should round-trip a message', () => {
    expect(decryptPayload(key, encryptPayload(key, message))).toEqual(message);
  });

  it('should lay out version | IV | tag | ciphertext with a fresh IV each time', () => {
    const first = encryptPayload(key, message);
    const second = encryptPayload(key, message);
    expect(first[0]).toBe(1);
    expect(first.subarray(1, 13).equals(second.subarray(1, 13))).toBe(false);
    expect(first.length).toBe(1 + 12 + 16 + Buffer.byteLength(JSON.stringify(message)));
  });

  it('should seal many messages at once, each with its own IV, each opened alone', () => {
    const cipher = new OutboxCipher(new ConfigService({ APP_SECRET: SECRET }));
    const messages = Array.from({ length: 50 }, (_, i): OutboxPayload => ({ ...message, subject: `n° ${i}` }));

    const sealed = cipher.sealMany(messages);

    expect(sealed.map((payload) => cipher.open(payload))).toEqual(messages);
    expect(new Set(sealed.map((payload) => payload.subarray(1, 13).toString('hex'))).size).toBe(messages.length);
  });

  it('should not contain the recipient or the link in clear', () => {
    const payload = encryptPayload(key, message).toString('latin1');
    expect(payload).not.toContain('anna@example.ch');
    expect(payload).not.toContain('/confirm/abc');
  });

  it.each([
    ['ciphertext', 40],
    ['tag', 20],
    ['IV', 5],
    ['version', 0],
  ])('should detect tampering with the %s', (_part, index) => {
    const payload = encryptPayload(key, message);
    payload[index] ^= 0x01;
    expect(() => decryptPayload(key, payload)).toThrow(OutboxPayloadError);
  });

  it('should fail with a different APP_SECRET', () => {
    const payload = encryptPayload(key, message);
    expect(() => decryptPayload(deriveOutboxKey(randomBytes(32).toString('hex')), payload)).toThrow(OutboxPayloadError);
  });

  it('should reject a truncated payload', () => {
    expect(() => decryptPayload(key, Buffer.from([1, 2, 3]))).toThrow(OutboxPayloadError);
  });

  it('should round-trip a message composed when it is sent', () => {
    const deferred: OutboxPayload = { composer: 'contact-overview', data: { autarkyPercent: 42 }, mentions: ['b-1', 'b-2'] };
    const payload = encryptPayload(key, deferred);
    expect(decryptPayload(key, payload)).toEqual(deferred);
    expect(payload.toString('latin1')).not.toContain('secret-token');
  });

  it.each([
    ['neither a message nor a composer', { hello: 'world' }],
    ['a composer without data', { composer: 'contact-overview' }],
    ['a message without a subject', { to: 'anna@example.ch', text: '' }],
  ])('should refuse %s', (_what, value) => {
    expect(() => decryptPayload(key, encryptPayload(key, value as unknown as OutboxPayload))).toThrow(OutboxPayloadError);
  });

  it('should derive different keys for different purposes', () => {
    expect(deriveOutboxKey(SECRET, 'mail-outbox').equals(deriveOutboxKey(SECRET, 'other'))).toBe(false);
  });
});
