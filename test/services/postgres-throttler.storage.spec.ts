import { DataSource } from 'typeorm';
import { validateEnv } from '../../src/config/env.validation';
import { DatabaseTarget } from '../../src/database/database-target';
import { DATABASE_TARGET } from '../../src/database/database.module';
import { PostgresThrottlerStorage } from '../../src/rate-limits/postgres-throttler.storage';
import { RateLimitStorageModule } from '../../src/rate-limits/rate-limit-storage.module';
import { ServiceContext, startServiceContext } from '../helpers/service-context';

const MINUTE = 60_000;
const sleep = (ms: number): Promise<void> => new Promise((resolveSleep) => setTimeout(resolveSleep, ms));

let sequence = 0;
/** A key of its own per test, as the guard's HMAC of a client would be. */
function uniqueKey(): string {
  sequence += 1;
  return `client-${process.pid}-${sequence}-${Math.random().toString(36).slice(2)}`;
}

describe(PostgresThrottlerStorage.name, () => {
  let context: ServiceContext;
  let sut: PostgresThrottlerStorage;
  /** A second replica: its own connection pool and storage on the same database. */
  let otherDataSource: DataSource;
  let other: PostgresThrottlerStorage;

  beforeAll(async () => {
    context = await startServiceContext([RateLimitStorageModule.forEnv(validateEnv({}))]);
    sut = context.app.get(PostgresThrottlerStorage);
    const target = context.app.get<DatabaseTarget>(DATABASE_TARGET);
    otherDataSource = await new DataSource({ type: 'postgres', url: target.url, ssl: target.ssl, poolSize: 4 }).initialize();
    other = new PostgresThrottlerStorage(otherDataSource);
  });

  afterAll(async () => {
    await otherDataSource?.destroy();
    await context.close();
  });

  it('should count hits within the window and block the hit that goes over the limit, for the block duration', async () => {
    const key = uniqueKey();
    const hits = [];
    for (let i = 0; i < 5; i++) hits.push(await sut.increment(key, MINUTE, 3, MINUTE / 2, 'lookup'));

    expect(hits.map((hit) => [hit.totalHits, hit.isBlocked])).toEqual([
      [1, false],
      [2, false],
      [3, false],
      [4, true],
      [4, true], // not counted while blocked
    ]);
    expect(hits[0].timeToExpire).toBe(60);
    expect(hits[0].timeToBlockExpire).toBe(0);
    expect(hits[3].timeToBlockExpire).toBe(30);
    expect(hits[4].timeToBlockExpire).toBeGreaterThanOrEqual(29);
  });

  it('should keep budgets and clients apart', async () => {
    const key = uniqueKey();
    await sut.increment(key, MINUTE, 1, MINUTE, 'lookup');

    expect(await sut.increment(key, MINUTE, 1, MINUTE, 'lookup')).toMatchObject({ isBlocked: true });
    expect(await sut.increment(key, MINUTE, 1, MINUTE, 'registration')).toMatchObject({ totalHits: 1, isBlocked: false });
    expect(await sut.increment(uniqueKey(), MINUTE, 1, MINUTE, 'lookup')).toMatchObject({ totalHits: 1, isBlocked: false });
  });

  it('should start a fresh window once the window is over', async () => {
    const key = uniqueKey();
    await sut.increment(key, 800, 2, 800, 'lookup');
    await sut.increment(key, 800, 2, 800, 'lookup');
    await sleep(900);

    expect(await sut.increment(key, 800, 2, 800, 'lookup')).toMatchObject({ totalHits: 1, isBlocked: false });
  });

  it('should let the client in again once the block is over, in a fresh window', async () => {
    const key = uniqueKey();
    await sut.increment(key, MINUTE, 1, 800, 'lookup');
    expect(await sut.increment(key, MINUTE, 1, 800, 'lookup')).toMatchObject({ isBlocked: true, timeToBlockExpire: 1 });
    await sleep(900);

    expect(await sut.increment(key, MINUTE, 1, 800, 'lookup')).toMatchObject({ totalHits: 1, isBlocked: false });
    expect(await sut.increment(key, MINUTE, 1, 800, 'lookup')).toMatchObject({ totalHits: 2, isBlocked: true });
  });

  it('should share one counter between two storages on the same database, also under concurrent hits', async () => {
    const alternating = uniqueKey();
    const turns = [];
    for (let i = 0; i < 6; i++) turns.push(await (i % 2 === 0 ? sut : other).increment(alternating, MINUTE, 4, MINUTE, 'registration'));
    expect(turns.map((hit) => hit.isBlocked)).toEqual([false, false, false, false, true, true]);

    const concurrent = uniqueKey();
    const burst = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? sut : other).increment(concurrent, MINUTE, 10, MINUTE, 'lookup')));
    expect(burst.filter((hit) => !hit.isBlocked)).toHaveLength(10);
    expect(new Set(burst.filter((hit) => !hit.isBlocked).map((hit) => hit.totalHits))).toEqual(new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
  });

  it('should store a digest, never the key it was given', async () => {
    const key = `203.0.113.77-${uniqueKey()}`;
    await sut.increment(key, MINUTE, 5, MINUTE, 'lookup');

    const rows = await context.dataSource.query<{ key: Buffer; bytes: number }[]>('SELECT key, length(key) AS bytes FROM rate_limit_counters');
    expect(rows.every((row) => row.bytes === 32)).toBe(true);
    expect(rows.some((row) => row.key.toString('latin1').includes('203.0.113.77'))).toBe(false);
  });

  it('should sweep the counters whose window and block are over, and only those', async () => {
    const expired = uniqueKey();
    const stillBlocked = uniqueKey();
    const live = uniqueKey();
    await sut.increment(expired, 300, 5, 300, 'lookup');
    await sut.increment(stillBlocked, 300, 1, MINUTE, 'lookup');
    await sut.increment(stillBlocked, 300, 1, MINUTE, 'lookup');
    await sut.increment(live, MINUTE, 5, MINUTE, 'lookup');
    await sleep(400);

    expect(await sut.deleteExpired()).toBeGreaterThanOrEqual(1);
    const [{ left }] = await context.dataSource.query<{ left: number }[]>('SELECT count(*)::int AS left FROM rate_limit_counters WHERE expires_at < now()');
    expect(left).toBe(0);
    expect(await sut.increment(stillBlocked, 300, 1, MINUTE, 'lookup')).toMatchObject({ isBlocked: true });
    expect(await sut.increment(live, MINUTE, 5, MINUTE, 'lookup')).toMatchObject({ totalHits: 2 });
  });
});
