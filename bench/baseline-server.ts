/**
 * The raw baseline: a minimal node:http server that does the same work per registration as
 * RegistrationService.register, with `pg` directly and in the same four round trips:
 *
 * 1. START TRANSACTION and the building's advisory lock, in one message (simple query protocol);
 * 2. every check in one statement: one mail of the `links` class reserved for the recipient's mailbox
 *    (the upsert of mail_recipient_quota, keyed by an HMAC of the mailbox), the mailbox's
 *    registrations of other buildings in buildings, interest_pool and registration_claims, and who
 *    holds the building now;
 * 3. everything written in one statement: the record into interest_pool (taken out of buildings),
 *    the unused verification links revoked, the verification and unsubscribe tokens inserted, the
 *    verification mail queued in the outbox;
 * 4. COMMIT.
 *
 * Before that it checks the signed profile of the address check (HMAC-SHA256 in constant time,
 * expiry, identity fields, bounds of the owner's figures, with the same function and key as the
 * service), and it does the same crypto: the advisory-lock key, the HMAC recipient key of the quota,
 * two tokens hashed, the HMAC idempotency key, the mail rendered and sealed with AES-256-GCM.
 *
 * The two statements are the text the service's runTogether builds from its modules' parts (CTEs
 * p0, p1, … each aggregated into a JSON column), with the parameters in the same order, so that
 * PostgreSQL does the same work for both. A refused quota is answered 429 and a full mailbox gets
 * the service's notice mail and the same 201. A building someone holds already (a claim, or the
 * takeover of another address's unconfirmed registration) is not part of the baseline: the bench
 * registers fresh buildings, and such a request is answered 501, so that a load reaching it fails
 * instead of measuring less work.
 *
 * Left out on purpose: request validation and normalisation (class-validator), Nest, Express and
 * its middleware (helmet, CORS, compression, body parser), request logging, TypeORM. Their cost is
 * what the service/baseline ratio shows.
 *
 * Environment: BASELINE_DATABASE_URL, APP_SECRET, PORT (0 = any), POOL_SIZE (default 10); the limits
 * default to the service's settings in the bench (MAIL_LIMIT_LINKS, MAIL_QUIET_PERIOD,
 * MAX_REGISTRATIONS_PER_MAILBOX, VERIFICATION_TOKEN_TTL).
 */
import { createHmac } from 'node:crypto';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { Pool, PoolClient } from 'pg';
import { SubmittedProfile, verifyProfile } from '../src/addresses/profile-signature';
import { advisoryKey } from '../src/common/advisory-lock';
import { mailboxOf } from '../src/common/mailbox';
import { deriveKey } from '../src/config/app-secret';
import { durationToMs } from '../src/config/env.validation';
import { mailLimit, RESERVE_MAILS } from '../src/mail/mail-quota';
import { mailboxLimitMail, RenderedMail, verificationMail } from '../src/mail/mail-templates';
import { deriveOutboxKey, encryptPayload } from '../src/mail/outbox-crypto';
import { confirmUrl, unsubscribeUrl } from '../src/tokens/token-links';
import { generateToken, hashToken } from '../src/tokens/token-format';

type Registration = { email: string; phone?: string; profile: SubmittedProfile };
/** The building's fields as the address check signed them (what the service stores). */
type Accepted = Extract<ReturnType<typeof verifyProfile>, { ok: true }>['accepted'];

const APP_NAME = 'LEG Match';
const BASE_URL = 'http://localhost:3000';
// What the bench gives the service: the counters are updated on every registration, never full.
const LINKS = mailLimit(process.env.MAIL_LIMIT_LINKS ?? '999999/1d', process.env.MAIL_QUIET_PERIOD ?? '0');
const MAX_REGISTRATIONS_PER_MAILBOX = Number(process.env.MAX_REGISTRATIONS_PER_MAILBOX ?? 3);
const VERIFICATION_TTL_MS = durationToMs(process.env.VERIFICATION_TOKEN_TTL ?? '30d');
const TOO_MANY_MAILS = 'Too many e-mails to this address recently; please try again later';

const MAILBOX = `regexp_replace(lower(email), '\\+[^@]*@', '@')`;

/**
 * The checks: p0 the quota reservation ($1–$6), p1 the mailbox's records of other buildings in both
 * tables ($7 mailbox, $8 building), p2 its claims ($9, $10), p3 the building's holder ($11).
 */
const CHECKS = `WITH p0 AS (${RESERVE_MAILS}), p1 AS (SELECT ((SELECT count(*) FROM buildings WHERE ${MAILBOX} = $7 AND building_id <> $8) + (SELECT count(*) FROM interest_pool WHERE ${MAILBOX} = $7 AND building_id <> $8))::int AS count), p2 AS (SELECT count(*)::int AS count FROM registration_claims WHERE ${MAILBOX} = $9 AND building_id <> $10), p3 AS (SELECT true AS here, verified, email FROM buildings WHERE building_id = $11
            UNION ALL SELECT false AS here, verified, email FROM interest_pool WHERE building_id = $11) SELECT (SELECT coalesce(json_agg(p0), '[]'::json) FROM p0) AS p0, (SELECT coalesce(json_agg(p1), '[]'::json) FROM p1) AS p1, (SELECT coalesce(json_agg(p2), '[]'::json) FROM p2) AS p2, (SELECT coalesce(json_agg(p3), '[]'::json) FROM p3) AS p3`;
type Checks = { p0: unknown[]; p1: { count: number }[]; p2: { count: number }[]; p3: { here: boolean; verified: boolean; email: string }[] };

const RECORD_COLUMNS = 'building_id, email, phone, address, plz, lat, lon, building_type, annual_consumption_kwh, potential_pv_kwp, profile, verified, verified_at, registered_at';
const RECORD_VALUES = '$1::varchar, $2::varchar, $3::varchar, $4::varchar, $5::int, $6::float8, $7::float8, $8::varchar, $9::float8, $10::float8, $11::jsonb, $12::boolean, $13::timestamptz, $14::timestamptz';
const RECORD_UPDATE = 'email = EXCLUDED.email, phone = EXCLUDED.phone, address = EXCLUDED.address, plz = EXCLUDED.plz, lat = EXCLUDED.lat, lon = EXCLUDED.lon, building_type = EXCLUDED.building_type, annual_consumption_kwh = EXCLUDED.annual_consumption_kwh, potential_pv_kwp = EXCLUDED.potential_pv_kwp, profile = EXCLUDED.profile, verified = EXCLUDED.verified, verified_at = EXCLUDED.verified_at, registered_at = EXCLUDED.registered_at, updated_at = now()';

/** One mail into the outbox (MailService's ENQUEUE_ONE), as a statement of its own. */
const ENQUEUE_ONE = `INSERT INTO mail_outbox (idempotency_key, kind, building_id, mentions, payload) VALUES ($1, $2, $3, $4::text[], $5)
  ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`;

/**
 * The writes: p0_0/p0 the record out of buildings and into interest_pool ($1–$14), p1_0/p1 the
 * unused verification links revoked and the two new tokens ($15 building, $16 verification hash,
 * $17 its expiry, $18 unsubscribe hash), p2 the verification mail ($19–$23, ENQUEUE_ONE).
 */
const WRITE = `WITH p0_0 AS (DELETE FROM buildings WHERE building_id = $1), p0 AS (INSERT INTO interest_pool (${RECORD_COLUMNS}) VALUES (${RECORD_VALUES})
            ON CONFLICT (building_id) DO UPDATE SET ${RECORD_UPDATE} RETURNING building_id), p1_0 AS (DELETE FROM tokens WHERE building_id = $15 AND kind = 'verification' AND used_at IS NULL), p1 AS (INSERT INTO tokens (token_hash, kind, building_id, expires_at) VALUES ($16, 'verification', $15, $17), ($18, 'unsubscribe', $15, NULL)
  RETURNING token_hash), p2 AS (INSERT INTO mail_outbox (idempotency_key, kind, building_id, mentions, payload) VALUES ($19, $20, $21, $22::text[], $23)
  ON CONFLICT (idempotency_key) DO NOTHING RETURNING id) SELECT (SELECT coalesce(json_agg(p0), '[]'::json) FROM p0) AS p0, (SELECT coalesce(json_agg(p1), '[]'::json) FROM p1) AS p1, (SELECT coalesce(json_agg(p2), '[]'::json) FROM p2) AS p2`;

const secret = process.env.APP_SECRET ?? '';
const profileKey = deriveKey(secret, 'profile-signature');
const messageKey = deriveOutboxKey(secret);
const opaqueKey = deriveOutboxKey(secret, 'mail-outbox-idempotency');
const pool = new Pool({ connectionString: process.env.BASELINE_DATABASE_URL, max: Number(process.env.POOL_SIZE ?? 10) });

/** An answer other than 201, with its status. */
class Refused extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** OutboxCipher.opaqueKey: idempotency keys and quota recipients are stored only as this HMAC. */
function opaque(value: string): string {
  return createHmac('sha256', opaqueKey).update(value, 'utf8').digest('hex');
}

/** MailService.enqueue's parameters: the opaque idempotency key and the sealed message. */
function mailParameters(idempotencyKey: string, kind: string, buildingId: string | null, to: string, mail: RenderedMail): unknown[] {
  return [opaque(idempotencyKey), kind, buildingId, [], encryptPayload(messageKey, { to, ...mail })];
}

/** Round trips 2 and 3 (the caller holds the building's lock). */
async function registerWithin(client: PoolClient, body: Registration, record: Accepted, source: string): Promise<void> {
  const id = record.building_id;
  const mailbox = mailboxOf(body.email);
  const { rows } = await client.query<Checks>(CHECKS, [
    [opaque(`mailbox:${mailbox}`)],
    [1],
    'links',
    LINKS.limit,
    LINKS.windowMs,
    LINKS.quietMs,
    mailbox,
    id,
    mailbox,
    id,
    id,
  ]);
  const checks = rows[0];
  if (checks.p0.length === 0) throw new Refused(429, TOO_MANY_MAILS);
  if (checks.p1[0].count + checks.p2[0].count >= MAX_REGISTRATIONS_PER_MAILBOX) {
    const notice = mailboxLimitMail({ appName: APP_NAME, address: record.address, limit: MAX_REGISTRATIONS_PER_MAILBOX });
    await client.query(ENQUEUE_ONE, mailParameters(`mailbox-limit:${id}:${mailbox}:${Date.now()}`, 'mailbox-limit', null, body.email, notice));
    return;
  }
  const holder = checks.p3.find((row) => row.here) ?? checks.p3[0];
  if (holder && (holder.verified || holder.email !== body.email)) throw new Refused(501, 'A building someone holds is not part of the baseline');

  const verification = generateToken();
  const verificationHash = hashToken(verification);
  const unsubscribe = generateToken();
  const mail = verificationMail({
    appName: APP_NAME,
    address: record.address,
    confirmUrl: confirmUrl(BASE_URL, verification),
    unsubscribeUrl: unsubscribeUrl(BASE_URL, unsubscribe),
  });
  await client.query(WRITE, [
    ...[id, body.email, body.phone ?? null, record.address, record.plz, record.lat, record.lon, record.building_type],
    ...[record.annual_consumption_kwh, record.potential_pv_kwp, JSON.stringify({ ...record, source }), false, null, new Date().toISOString()],
    ...[id, verificationHash, new Date(Date.now() + VERIFICATION_TTL_MS), hashToken(unsubscribe)],
    ...mailParameters(`verification:${verificationHash}`, 'verification', id, body.email, mail),
  ]);
}

async function register(body: Registration): Promise<string> {
  const verification = verifyProfile(profileKey, { ...body.profile }, new Date());
  if (!verification.ok) throw new Refused(400, verification.message);
  const { accepted, signed } = verification;
  const client = await pool.connect();
  try {
    // Round trip 1: no parameters, so `pg` sends both statements in one simple query (as transactionHolding).
    await client.query(`START TRANSACTION; SELECT pg_advisory_xact_lock(${BigInt(advisoryKey(`building:${accepted.building_id}`))})`);
    await registerWithin(client, body, accepted, signed.source);
    await client.query('COMMIT');
    return accepted.building_id;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json) });
  response.end(json);
}

async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (request.method === 'GET' && request.url === '/health') return send(response, 200, { status: 'ok' });
  if (request.method !== 'POST' || request.url !== '/api/interest-pool') return send(response, 404, { message: 'Not found' });
  const body = JSON.parse(await readBody(request)) as Registration;
  try {
    const id = await register(body);
    send(response, 201, { building_id: id, type: 'anonymous', verified: false, verification_email_sent: true });
  } catch (error) {
    if (!(error instanceof Refused)) throw error;
    send(response, error.status, { message: error.message });
  }
}

const server = createServer((request, response) => {
  handle(request, response).catch((error: unknown) => {
    process.stderr.write(`baseline: ${(error as Error).message}\n`);
    if (!response.headersSent) send(response, 500, { message: 'Internal server error' });
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(`${JSON.stringify({ msg: `Listening on 127.0.0.1:${port}` })}\n`);
});
process.on('SIGTERM', () => {
  server.close();
  void pool.end().then(() => process.exit(0));
});
