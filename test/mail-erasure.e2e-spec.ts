import { randomInt } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { registrationBody, uniqueBuildingId } from './helpers/factories';
import { latestMail, linkToken } from './helpers/outbox';
import { parseRawMail } from './helpers/smtp-test-server';
import { settle, startTestApp, TestApp } from './helpers/test-app';
import { createTestDatabase, testEnv, TestDatabase } from './helpers/test-database';

const ADMIN_API_KEY = 'admin-key-0123456789abcdef';

type Person = { body: ReturnType<typeof registrationBody>; address: string; phoneForms: string[] };

/** A person with data found nowhere else: e-mail, phone and street address. */
function person(lat: number, lon: number): Person {
  const buildingId = uniqueBuildingId('erasure');
  const digits = String(randomInt(10_000_000)).padStart(7, '0');
  const address = `Vergessenweg ${randomInt(100, 1000)}, 5400 Baden`;
  const body = registrationBody({ buildingId, email: `${buildingId}@example.ch`, phone: `078 ${digits}`, lat, lon, address });
  return { body, address, phoneForms: [`+4178${digits}`, `078${digits}`, `078 ${digits}`] };
}

/** Every development mail file with its text as a reader sees it: raw, headers and decoded bodies. */
function readMailFiles(directory: string): { name: string; text: string }[] {
  if (!existsSync(directory)) return [];
  return readdirSync(directory).map((name) => {
    const raw = readFileSync(join(directory, name), 'utf8');
    const mail = parseRawMail(raw);
    return { name, text: [raw, mail.header('to'), mail.header('subject'), mail.body].join('\n') };
  });
}

/** The files that show any of the person's data. */
function filesShowing(directory: string, who: Person): string[] {
  const needles = [who.body.email, who.address, ...who.phoneForms];
  return readMailFiles(directory)
    .filter((file) => needles.some((needle) => file.text.includes(needle)))
    .map((file) => file.name);
}

describe('Erasure of development mail files', () => {
  let database: TestDatabase;
  let sut: TestApp;
  let mailDir: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    // No SMTP_URL: mails become files; delivery is driven by settle() so that links can be read first.
    sut = await startTestApp(testEnv(database, { MAIL_WORKER_ENABLED: 'false', ADMIN_API_KEY }));
    mailDir = join(sut.env.DATA_DIR, 'mail');
  });

  afterAll(async () => {
    await sut.close();
    await database.drop();
  });

  async function registerAndConfirm(who: Person): Promise<string> {
    await sut.http().post('/api/buildings').send(who.body).expect(201);
    const mail = await latestMail(sut.dataSource, who.body.profile.building_id);
    await sut.http().post('/api/verification/confirm').send({ token: linkToken(mail, 'confirm') }).expect(200);
    return linkToken(mail, 'unsubscribe');
  }

  let pairs = 0;

  /** The two ways a building is erased: the person's unsubscribe link, or the admin. */
  const erasures: [string, (who: Person, unsubscribeToken: string) => Promise<unknown>][] = [
    ['unsubscribed', (_who, token) => sut.http().post('/api/unsubscribe').send({ token }).expect(200, { deleted: true })],
    [
      'was deleted by the admin',
      (who) => sut.http().delete(`/api/admin/records/${who.body.profile.building_id}`).set('Authorization', `Bearer ${ADMIN_API_KEY}`).expect(204),
    ],
  ];

  it.each(erasures)('should leave no file in the mail directory with the e-mail, phone or address of a person who %s', async (_how, erase) => {
    // Each pair ~750 m from the last, so that every test has a community of its own.
    const lon = 8.3 + 0.01 * ++pairs;
    const leaving = person(47.4731, lon);
    const staying = person(47.4734, lon);
    const unsubscribeToken = await registerAndConfirm(leaving);
    await registerAndConfirm(staying);
    await settle(sut);
    const [toNeighbour] = await sut.dataSource.query<{ count: number }[]>(
      `SELECT count(*)::int AS count FROM mail_outbox WHERE kind = 'contact-overview' AND status = 'sent' AND building_id = $1 AND mentions @> ARRAY[$2]`,
      [staying.body.profile.building_id, leaving.body.profile.building_id],
    );
    expect(toNeighbour.count).toBe(1);
    // The leaving person's data is in their own mails and in the neighbour's contact overview.
    expect(filesShowing(mailDir, leaving).length).toBeGreaterThanOrEqual(3);

    await erase(leaving, unsubscribeToken);
    await settle(sut);

    expect(filesShowing(mailDir, leaving)).toEqual([]);
    // The neighbour's own confirmation mail, which does not mention the leaving person, is still there.
    expect(filesShowing(mailDir, staying).length).toBeGreaterThan(0);
  });
});
