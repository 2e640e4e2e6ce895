/**
 * The raw baseline: a minimal node:http server that does the same SQL work per registration as
 * RegistrationService.register (the same nine statements in one transaction, taken from the
 * statement log of the service) with `pg` directly, and the same crypto (advisory-lock key, two
 * tokens, HMAC idempotency key, rendered mail sealed with AES-256-GCM).
 *
 * Left out on purpose: request validation and normalisation (class-validator), Nest, Express and
 * its middleware (helmet, CORS, compression, body parser), request logging, TypeORM. Their cost is
 * what the service/baseline ratio shows.
 *
 * Environment: BASELINE_DATABASE_URL, APP_SECRET, PORT (0 = any), POOL_SIZE (default 10).
 */
import { createHmac } from 'node:crypto';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { Pool, PoolClient } from 'pg';
import { advisoryKey } from '../src/common/advisory-lock';
import { confirmUrl, unsubscribeUrl } from '../src/tokens/token-links';
import { verificationMail } from '../src/mail/mail-templates';
import { deriveOutboxKey, encryptPayload } from '../src/mail/outbox-crypto';
import { generateToken, hashToken } from '../src/tokens/token-format';

type Profile = {
  building_id: string;
  lat: number;
  lon: number;
  address?: string;
  plz?: number;
  building_type?: string;
  annual_consumption_kwh?: number;
  potential_pv_kwp?: number;
};
type Registration = { email: string; phone?: string; profile: Profile };

const VERIFICATION_TTL_MS = 30 * 86_400_000;
const APP_NAME = 'LEG Match';
const BASE_URL = 'http://localhost:3000';

const UPSERT_INTEREST_POOL = `INSERT INTO "interest_pool"("building_id", "email", "phone", "address", "plz", "lat", "lon", "building_type", "annual_consumption_kwh", "potential_pv_kwp", "profile", "verified", "verified_at", "registered_at", "created_at", "updated_at")
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, DEFAULT, DEFAULT)
ON CONFLICT ("building_id") DO UPDATE SET "email" = EXCLUDED."email", "phone" = EXCLUDED."phone", "address" = EXCLUDED."address", "plz" = EXCLUDED."plz", "lat" = EXCLUDED."lat", "lon" = EXCLUDED."lon", "building_type" = EXCLUDED."building_type", "annual_consumption_kwh" = EXCLUDED."annual_consumption_kwh", "potential_pv_kwp" = EXCLUDED."potential_pv_kwp", "profile" = EXCLUDED."profile", "verified" = EXCLUDED."verified", "verified_at" = EXCLUDED."verified_at", "registered_at" = EXCLUDED."registered_at", "updated_at" = EXCLUDED."updated_at"
RETURNING "annual_consumption_kwh", "potential_pv_kwp", "profile", "verified", "registered_at", "created_at", "updated_at"`;
const INSERT_TOKEN = `INSERT INTO "tokens"("token_hash", "kind", "building_id", "created_at", "expires_at", "used_at") VALUES ($1, $2, $3, DEFAULT, $4, $5) RETURNING "created_at"`;
const INSERT_OUTBOX = `INSERT INTO "mail_outbox"("id", "idempotency_key", "kind", "building_id", "mentions", "payload", "status", "attempts", "next_attempt_at", "last_error", "created_at", "sent_at")
VALUES (DEFAULT, $1, $2, $3, $4, $5, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT) ON CONFLICT DO NOTHING RETURNING "id", "mentions", "status", "attempts", "next_attempt_at", "created_at"`;

const secret = process.env.APP_SECRET ?? '';
const messageKey = deriveOutboxKey(secret);
const idempotencyKey = deriveOutboxKey(secret, 'mail-outbox-idempotency');
const pool = new Pool({ connectionString: process.env.BASELINE_DATABASE_URL, max: Number(process.env.POOL_SIZE ?? 10) });

async function registerWithin(client: PoolClient, body: Registration): Promise<void> {
  const profile = body.profile;
  const id = profile.building_id;
  await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [advisoryKey(`building:${id}`)]);
  await client.query('DELETE FROM "buildings" WHERE "building_id" = $1', [id]);
  await client.query(UPSERT_INTEREST_POOL, [
    id,
    body.email,
    body.phone ?? null,
    profile.address ?? null,
    profile.plz ?? null,
    profile.lat,
    profile.lon,
    profile.building_type ?? null,
    profile.annual_consumption_kwh ?? 0,
    profile.potential_pv_kwp ?? 0,
    JSON.stringify(profile),
    false,
    null,
    new Date(),
  ]);
  await client.query('DELETE FROM "tokens" WHERE ("building_id" = $1 AND "kind" = $2 AND "used_at" IS NULL)', [id, 'verification']);
  const verification = generateToken();
  const verificationHash = hashToken(verification);
  await client.query(INSERT_TOKEN, [verificationHash, 'verification', id, new Date(Date.now() + VERIFICATION_TTL_MS), null]);
  const unsubscribe = generateToken();
  await client.query(INSERT_TOKEN, [hashToken(unsubscribe), 'unsubscribe', id, null, null]);
  const mail = verificationMail({
    appName: APP_NAME,
    address: profile.address ?? null,
    confirmUrl: confirmUrl(BASE_URL, verification),
    unsubscribeUrl: unsubscribeUrl(BASE_URL, unsubscribe),
  });
  await client.query(INSERT_OUTBOX, [
    createHmac('sha256', idempotencyKey).update(`verification:${verificationHash}`, 'utf8').digest('hex'),
    'verification',
    id,
    [],
    encryptPayload(messageKey, { to: body.email, ...mail }),
  ]);
}

async function register(body: Registration): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('START TRANSACTION');
    await registerWithin(client, body);
    await client.query('COMMIT');
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
  await register(body);
  send(response, 201, { building_id: body.profile.building_id, type: 'anonymous', verified: false, verification_email_sent: true });
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
