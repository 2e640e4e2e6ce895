/**
 * The raw baseline: a minimal node:http server that does the same work per registration as
 * RegistrationService.register with `pg` directly: it checks the signed profile of the address
 * check (HMAC-SHA256 in constant time, expiry, identity fields, bounds of the owner's figures, with
 * the same function and key as the service), then runs the same eight statements in one transaction
 * (advisory lock, the record looked up in both tables at once, removed from the other table and
 * upserted in one statement, unused verification links revoked, two tokens inserted, the
 * verification mail queued) and the
 * same crypto (advisory-lock key, two tokens hashed, HMAC idempotency key, the mail rendered and
 * sealed with AES-256-GCM).
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
import { SubmittedProfile, verifyProfile } from '../src/addresses/profile-signature';
import { advisoryKey } from '../src/common/advisory-lock';
import { deriveKey } from '../src/config/app-secret';
import { confirmUrl, unsubscribeUrl } from '../src/tokens/token-links';
import { verificationMail } from '../src/mail/mail-templates';
import { deriveOutboxKey, encryptPayload } from '../src/mail/outbox-crypto';
import { generateToken, hashToken } from '../src/tokens/token-format';

type Registration = { email: string; phone?: string; profile: SubmittedProfile };

const VERIFICATION_TTL_MS = 30 * 86_400_000;
const APP_NAME = 'LEG Match';
const BASE_URL = 'http://localhost:3000';

const RECORD_COLUMNS = 'building_id, email, phone, address, plz, lat, lon, building_type, annual_consumption_kwh, potential_pv_kwp, profile, verified, verified_at, registered_at';
const FIND_IN_BOTH_TABLES = `SELECT true AS here, ${RECORD_COLUMNS}, updated_at FROM buildings WHERE building_id = $1
UNION ALL SELECT false AS here, ${RECORD_COLUMNS}, updated_at FROM interest_pool WHERE building_id = $1`;
const UPSERT_INTEREST_POOL = `WITH moved AS (DELETE FROM buildings WHERE building_id = $1)
INSERT INTO interest_pool (${RECORD_COLUMNS})
VALUES ($1::varchar, $2::varchar, $3::varchar, $4::varchar, $5::int, $6::float8, $7::float8, $8::varchar, $9::float8, $10::float8, $11::jsonb, $12::boolean, $13::timestamptz, $14::timestamptz)
ON CONFLICT (building_id) DO UPDATE SET email = EXCLUDED.email, phone = EXCLUDED.phone, address = EXCLUDED.address, plz = EXCLUDED.plz, lat = EXCLUDED.lat, lon = EXCLUDED.lon, building_type = EXCLUDED.building_type, annual_consumption_kwh = EXCLUDED.annual_consumption_kwh, potential_pv_kwp = EXCLUDED.potential_pv_kwp, profile = EXCLUDED.profile, verified = EXCLUDED.verified, verified_at = EXCLUDED.verified_at, registered_at = EXCLUDED.registered_at, updated_at = now()`;
const REVOKE_VERIFICATION = `DELETE FROM tokens WHERE building_id = $1 AND kind = 'verification' AND used_at IS NULL`;
const INSERT_TOKEN = `INSERT INTO tokens (token_hash, kind, building_id, expires_at) VALUES ($1, $2, $3, $4)`;
const INSERT_OUTBOX = `INSERT INTO mail_outbox (idempotency_key, kind, building_id, mentions, payload) VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`;

const secret = process.env.APP_SECRET ?? '';
const profileKey = deriveKey(secret, 'profile-signature');
const messageKey = deriveOutboxKey(secret);
const idempotencyKey = deriveOutboxKey(secret, 'mail-outbox-idempotency');
const pool = new Pool({ connectionString: process.env.BASELINE_DATABASE_URL, max: Number(process.env.POOL_SIZE ?? 10) });

class Refused extends Error {}

async function registerWithin(client: PoolClient, body: Registration): Promise<string> {
  const verification = verifyProfile(profileKey, { ...body.profile }, new Date());
  if (!verification.ok) throw new Refused(verification.message);
  const { accepted, signed } = verification;
  const id = accepted.building_id;
  await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [advisoryKey(`building:${id}`)]);
  await client.query(FIND_IN_BOTH_TABLES, [id]);
  await client.query(UPSERT_INTEREST_POOL, [
    id,
    body.email,
    body.phone ?? null,
    accepted.address,
    accepted.plz,
    accepted.lat,
    accepted.lon,
    accepted.building_type,
    accepted.annual_consumption_kwh,
    accepted.potential_pv_kwp,
    JSON.stringify({ ...accepted, source: signed.source }),
    false,
    null,
    new Date().toISOString(),
  ]);
  await client.query(REVOKE_VERIFICATION, [id]);
  const verificationToken = generateToken();
  const verificationHash = hashToken(verificationToken);
  await client.query(INSERT_TOKEN, [verificationHash, 'verification', id, new Date(Date.now() + VERIFICATION_TTL_MS)]);
  const unsubscribe = generateToken();
  await client.query(INSERT_TOKEN, [hashToken(unsubscribe), 'unsubscribe', id, null]);
  const mail = verificationMail({
    appName: APP_NAME,
    address: accepted.address,
    confirmUrl: confirmUrl(BASE_URL, verificationToken),
    unsubscribeUrl: unsubscribeUrl(BASE_URL, unsubscribe),
  });
  await client.query(INSERT_OUTBOX, [
    createHmac('sha256', idempotencyKey).update(`verification:${verificationHash}`, 'utf8').digest('hex'),
    'verification',
    id,
    [],
    encryptPayload(messageKey, { to: body.email, ...mail }),
  ]);
  return id;
}

async function register(body: Registration): Promise<string> {
  const client = await pool.connect();
  try {
    await client.query('START TRANSACTION');
    const id = await registerWithin(client, body);
    await client.query('COMMIT');
    return id;
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
    send(response, 400, { message: error.message });
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
