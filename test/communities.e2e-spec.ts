import { DataSource } from 'typeorm';
import { RecomputationService } from '../src/communities/recomputation/recomputation.service';
import { MailComposers } from '../src/mail/mail-composers';
import { offsetMeters } from '../src/geo/geo';
import { registrationBody, uniqueBuildingId } from './helpers/factories';
import { latestMail, linkToken, readOutbox } from './helpers/outbox';
import { settle, startTestApp, TestApp } from './helpers/test-app';
import { createTestDatabase, testEnv, TestDatabase } from './helpers/test-database';

function numbersIn(value: unknown): number[] {
  if (typeof value === 'number') return [value];
  if (Array.isArray(value)) return value.flatMap(numbersIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(numbersIn);
  return [];
}

type Registered = { id: string; email: string; phone: string; lat: number; lon: number; unsubscribe: string };

/** The demo gazetteer's Kronengasse 1 in Baden: a real address for the address check. */
const KRONENGASSE_1 = { lat: 47.4737341, lon: 8.3099521 };

/** A town of its own per test, far enough from the others (0.05° ≈ 5 km) not to join their communities. */
let townCounter = 0;
/** Every person of the run gets a phone number of their own, so a leak check can never match someone else's. */
let phoneCounter = 0;
function newTown() {
  townCounter += 1;
  return { lat: 45.3 + townCounter * 0.05, lon: 6.0 + townCounter * 0.05 };
}

describe('Communities, map and contact notifications (e2e)', () => {
  let database: TestDatabase;
  let sut: TestApp;
  let dataSource: DataSource;
  const env = () => testEnv(database, { MAIL_WORKER_ENABLED: 'false', CLUSTER_RECOMPUTE_DEBOUNCE_MS: '300' });

  beforeAll(async () => {
    database = await createTestDatabase();
    sut = await startTestApp(env());
    dataSource = sut.dataSource;
  });

  afterAll(async () => {
    await sut.close();
    await database.drop();
  });

  async function register(
    at: { lat: number; lon: number },
    route: 'buildings' | 'interest-pool' = 'buildings',
    confirm = true,
  ): Promise<Registered> {
    const id = uniqueBuildingId('n');
    phoneCounter += 1;
    const phone = `+4179${String(1_000_000 + phoneCounter).slice(-7)}`;
    const body = registrationBody({ buildingId: id, lat: at.lat, lon: at.lon, phone });
    await sut.http().post(`/api/${route}`).send(body).expect(201);
    const mail = await latestMail(dataSource, id);
    if (confirm) await sut.http().post('/api/verification/confirm').send({ token: linkToken(mail, 'confirm') }).expect(200);
    return { id, email: body.email, phone, lat: at.lat, lon: at.lon, unsubscribe: linkToken(mail, 'unsubscribe') };
  }

  /** A recomputation on demand, after any scheduled one, so that it is not skipped as already running. */
  async function recomputeNow(): Promise<void> {
    const recomputation = sut.app.get(RecomputationService);
    await recomputation.settled();
    expect(await recomputation.recomputeNow()).toMatchObject({ ran: true });
  }

  const mailsOfKind = async (kind: string) => (await readOutbox(dataSource, sut.app.get(MailComposers))).filter((mail) => mail.kind === kind);
  const membershipOf = async (buildingId: string) =>
    await dataSource.query<{ community_id: string }[]>('SELECT community_id FROM community_buildings WHERE building_id = $1 AND community_id IS NOT NULL', [buildingId]);

  it('should group neighbours within the radius, chains included, and rank by autarky', async () => {
    const town = newTown();
    const unconfirmed = await register(offsetMeters(town, 0, 100), 'buildings', false);
    const a = await register(town, 'buildings');
    const b = await register(offsetMeters(town, 140, 0), 'interest-pool');
    const c = await register(offsetMeters(town, 280, 0), 'buildings');
    const alone = await register(offsetMeters(town, 0, 1000), 'buildings');
    await settle(sut, { deliverMail: false });

    const [first] = await membershipOf(a.id);
    expect(await membershipOf(b.id)).toEqual([first]);
    expect(await membershipOf(c.id)).toEqual([first]);
    expect(await membershipOf(alone.id)).toEqual([]);
    expect(await membershipOf(unconfirmed.id)).toEqual([]);
    const response = await sut.http().get('/api/clusters').expect(200);
    const community = response.body.clusters.find((entry: { community_id: string }) => entry.community_id === first.community_id);
    expect(community).toMatchObject({ num_members: 3, members: expect.any(Array), polygon: expect.any(Array) });
    // 36 MWh, published in 10 MWh steps.
    expect(community.total_consumption_mwh).toBe(40);
    const ranks = response.body.clusters.map((entry: { autarky_percent: number | null }) => entry.autarky_percent ?? -1);
    expect(ranks).toEqual([...ranks].sort((x, y) => y - x));
  });

  it('should keep a community id when it is recomputed and when a neighbour joins', async () => {
    const town = newTown();
    const a = await register(town, 'buildings');
    await register(offsetMeters(town, 50, 0), 'buildings');
    await settle(sut, { deliverMail: false });
    const [before] = await membershipOf(a.id);

    await recomputeNow();
    expect(await membershipOf(a.id)).toEqual([before]);
    await register(offsetMeters(town, 0, 60), 'interest-pool');
    await settle(sut, { deliverMail: false });
    expect(await membershipOf(a.id)).toEqual([before]);
  });

  it('should replace the communities atomically: a reader sees the old set or the new one, never a mix', async () => {
    const town = newTown();
    for (let pair = 0; pair < 10; pair++) {
      const at = offsetMeters(town, pair * 500, 0);
      await register(at, 'interest-pool');
      await register(offsetMeters(at, 50, 0), 'interest-pool');
    }
    await settle(sut, { deliverMail: false });
    const readIds = async () =>
      (await dataSource.query<{ ids: string[] | null }[]>('SELECT array_agg(id ORDER BY id) AS ids FROM communities'))[0].ids?.join(',') ?? '';
    const before = await readIds();
    // Written behind the service's back (no event, no scheduled run), so the next run is the one observed.
    const more = newTown();
    for (let pair = 0; pair < 20; pair++) {
      const at = offsetMeters(more, pair * 500, 0);
      for (const [index, point] of [at, offsetMeters(at, 50, 0)].entries()) {
        await dataSource.query(
          `INSERT INTO interest_pool (building_id, email, lat, lon, annual_consumption_kwh, potential_pv_kwp, verified, verified_at)
           VALUES ($1, $2, $3, $4, 5000, 5, true, now())`,
          [`atomic-${townCounter}-${pair}-${index}`, `atomic${pair}${index}@example.ch`, point.lat, point.lon],
        );
      }
    }
    const recomputation = sut.app.get(RecomputationService);
    const seen = new Set<string>();
    let done = false;
    const reader = (async () => {
      while (!done) seen.add(await readIds());
    })();
    expect(await recomputation.recomputeNow()).toMatchObject({ ran: true });
    done = true;
    await reader;
    const after = await readIds();
    expect(after).not.toBe(before);
    expect([...seen].filter((ids) => ids !== before && ids !== after)).toEqual([]);
  });

  it('should coalesce a burst of registrations into a run or two, not one per registration', async () => {
    await settle(sut, { deliverMail: false });
    const recomputation = sut.app.get(RecomputationService);
    const runs = jest.spyOn(recomputation, 'runNow');
    const town = newTown();
    await Promise.all(
      Array.from({ length: 15 }, (_, i) =>
        sut.http().post('/api/interest-pool').send(registrationBody({ ...offsetMeters(town, i * 20, 0) })).expect(201),
      ),
    );
    await settle(sut, { deliverMail: false });
    // One run when the burst lands within the debounce; a loaded machine may stretch it over two.
    expect(runs.mock.calls.length).toBeGreaterThanOrEqual(1);
    expect(runs.mock.calls.length).toBeLessThanOrEqual(2);
    runs.mockRestore();
  });

  it('should send the contact overview once per change of confirmed members, also across a restart', async () => {
    const town = newTown();
    const a = await register(town);
    const b = await register(offsetMeters(town, 100, 0));
    await settle(sut, { deliverMail: false });
    const overviewsTo = async (ids: string[]) => (await mailsOfKind('contact-overview')).filter((mail) => ids.includes(mail.buildingId ?? ''));

    const first = await overviewsTo([a.id, b.id]);
    expect(first).toHaveLength(2);
    const toA = first.find((mail) => mail.buildingId === a.id)!;
    expect(toA.text).toContain(b.email);
    expect(toA.text).toContain(b.phone);
    expect(toA.text).toContain(a.email);
    expect(toA.text).toMatch(/\/unsubscribe\/[A-Za-z0-9_-]{43}/);

    await recomputeNow();
    await sut.close();
    sut = await startTestApp(env());
    dataSource = sut.dataSource;
    await recomputeNow();
    await settle(sut, { deliverMail: false });
    expect(await overviewsTo([a.id, b.id])).toHaveLength(2);
  });

  it('should give the overview an unsubscribe link, issued when it is composed, that erases its recipient', async () => {
    const town = newTown();
    const a = await register(town);
    const b = await register(offsetMeters(town, 90, 0));
    await settle(sut, { deliverMail: false });
    const toA = (await mailsOfKind('contact-overview')).find((mail) => mail.buildingId === a.id)!;
    expect(await membershipOf(a.id)).toHaveLength(1);

    const answer = await sut.http().post('/api/unsubscribe').send({ token: linkToken(toA, 'unsubscribe') }).expect(200);

    const records = async () => (await dataSource.query<{ building_id: string }[]>('SELECT building_id FROM buildings WHERE building_id = ANY($1)', [[a.id, b.id]])).map((row) => row.building_id);
    expect(answer.body).toMatchObject({ deleted: true });
    expect(await records()).toEqual([b.id]);
  });

  it('should tell confirmed neighbours about a newly confirmed one, marked NEU, and no one else', async () => {
    const town = newTown();
    const a = await register(town);
    const far = await register(offsetMeters(town, 0, 400));
    const b = await register(offsetMeters(town, 120, 0));
    const news = (await mailsOfKind('new-neighbour')).filter((mail) => [a.id, b.id, far.id].includes(mail.buildingId ?? ''));
    expect(news.map((mail) => mail.buildingId)).toEqual([a.id]);
    expect(news[0].text).toContain(`${b.email}`);
    expect(news[0].text).toMatch(/\(NEU\)/);
    expect(news[0].subject).toBe('Neue interessierte Nachbarn in Ihrer Nähe');
  });

  it('should never share the contact details of an interest-pool entry', async () => {
    const town = newTown();
    const anonymous = await register(town, 'interest-pool');
    const a = await register(offsetMeters(town, 60, 0));
    const b = await register(offsetMeters(town, 0, 60));
    await settle(sut, { deliverMail: false });
    const mails = (await readOutbox(dataSource, sut.app.get(MailComposers))).filter((mail) => [a.id, b.id].includes(mail.buildingId ?? ''));
    expect(mails.some((mail) => mail.kind === 'contact-overview')).toBe(true);
    expect(mails.filter((mail) => mail.text.includes(anonymous.email))).toEqual([]);
  });

  it('should drop a deleted building from communities, contact state and later mails', async () => {
    const town = newTown();
    const a = await register(town);
    const b = await register(offsetMeters(town, 80, 0));
    const c = await register(offsetMeters(town, 0, 80));
    await settle(sut, { deliverMail: false });
    const [{ community_id: communityId }] = await membershipOf(a.id);

    await sut.http().post('/api/unsubscribe').send({ token: c.unsubscribe }).expect(200);
    // At once, not at the next recomputation: nothing of the person waits for a run.
    expect(await membershipOf(c.id)).toEqual([]);
    expect(await membershipOf(a.id)).toEqual([{ community_id: communityId }]);
    const lists = await dataSource.query<{ building_id: string }[]>('SELECT building_id FROM community_contact_lists WHERE building_id = ANY($1)', [[a.id, b.id, c.id]]);
    expect(lists.map((list) => list.building_id).sort()).toEqual([a.id, b.id].sort());
    await settle(sut, { deliverMail: false });
    const pending = (await readOutbox(dataSource)).filter((mail) => mail.status === 'pending');
    expect(pending.filter((mail) => mail.text.includes(c.email) || mail.text.includes(c.phone))).toEqual([]);
  });

  describe('public responses', () => {
    it('should never contain another person’s id, e-mail, phone or exact coordinates', async () => {
      const town = KRONENGASSE_1;
      const people = [
        await register(offsetMeters(town, 40, 10)),
        await register(offsetMeters(town, 90, -20)),
        await register(offsetMeters(town, -10, 90), 'interest-pool'),
        await register(offsetMeters(town, 60, 60)),
      ];
      await settle(sut, { deliverMail: false });
      const check = await sut.http().post('/api/potential').send({ address: 'Kronengasse 1, 5400 Baden' }).expect(200);
      expect(check.body.cluster_info.num_members).toBe(5);
      const responses = [
        (await sut.http().get('/api/map/buildings').expect(200)).text,
        (await sut.http().get('/api/clusters').expect(200)).text,
        JSON.stringify(check.body),
      ];
      const numbers = responses.flatMap((text) => numbersIn(JSON.parse(text)));
      for (const person of people) {
        for (const text of responses) {
          for (const secret of [person.id, person.email, person.phone]) expect(text).not.toContain(secret);
        }
        expect(numbers).not.toContain(person.lat);
        expect(numbers).not.toContain(person.lon);
      }
    });

    it('should show every record on the map at a stable jittered position within the anonymity radius', async () => {
      const town = newTown();
      const person = await register(town);
      await settle(sut, { deliverMail: false });
      const first = (await sut.http().get('/api/map/buildings').expect(200)).body.buildings as { lat: number; lon: number; type: string }[];
      const again = (await sut.http().get('/api/map/buildings').expect(200)).body.buildings;
      expect(again).toEqual(first);
      const near = first.filter((b) => Math.abs(b.lat - person.lat) < 0.002 && Math.abs(b.lon - person.lon) < 0.003);
      expect(near).toHaveLength(1);
      expect(near[0]).toMatchObject({ type: 'registered' });
      expect(Object.keys(near[0]).sort()).toEqual(['lat', 'lon', 'type']);
    });

    it('should answer a viewport with markers from zoom 14 on and counts per cell below, cacheable per viewport', async () => {
      const town = newTown();
      const people = [await register(town), await register(offsetMeters(town, 60, 0)), await register(offsetMeters(town, 0, 60), 'interest-pool')];
      await settle(sut, { deliverMail: false });
      const bbox = [town.lon - 0.01, town.lat - 0.01, town.lon + 0.01, town.lat + 0.01].join(',');

      const close = await sut.http().get('/api/map/buildings').query({ bbox, zoom: 15 }).expect(200);
      expect(close.headers['cache-control']).toBe('public, max-age=30, must-revalidate');
      expect(close.body).toMatchObject({ zoom: 15, kind: 'markers' });
      expect(close.body.markers).toHaveLength(3);
      expect(close.body.markers.filter((m: { type: string }) => m.type === 'anonymous')).toHaveLength(1);
      const numbers = numbersIn(close.body);
      for (const person of people) expect(numbers).not.toContain(person.lat);

      const far = await sut.http().get('/api/map/buildings').query({ bbox, zoom: 9 }).expect(200);
      expect(far.body).toMatchObject({ zoom: 9, kind: 'cells' });
      expect(far.body.markers).toBeUndefined();
      expect(far.body.cells.reduce((sum: number, cell: { count: number }) => sum + cell.count, 0)).toBeGreaterThanOrEqual(3);

      await sut.http().get('/api/map/buildings').query({ bbox, zoom: 15 }).set('If-None-Match', close.headers.etag).expect(304);
      await register(newTown());
      await settle(sut, { deliverMail: false });
      await sut.http().get('/api/map/buildings').query({ bbox, zoom: 15 }).set('If-None-Match', close.headers.etag).expect(200);
    });

    it.each([
      [{ bbox: 'a,b,c,d', zoom: 15 }, 'bbox must be'],
      [{ bbox: '8.4,47.4,8.3,47.5', zoom: 15 }, 'minLon < maxLon'],
      [{ bbox: '8.3,47.4,8.4', zoom: 15 }, 'bbox must be'],
      [{ bbox: '8.3,47.4,8.4,47.5', zoom: 25 }, 'zoom'],
      [{ bbox: '8.3,47.4,8.4,47.5', zoom: 'x' }, 'zoom'],
    ])('should refuse the viewport %j with 400', async (query, message) => {
      const response = await sut.http().get('/api/map/buildings').query(query).expect(400);
      expect(response.body.message).toContain(message);
    });

    it('should answer 304 to a matching ETag and send gzip when accepted', async () => {
      const full = await sut.http().get('/api/map/buildings').set('Accept-Encoding', 'gzip').expect(200);
      expect(full.headers['content-encoding']).toBe('gzip');
      await sut.http().get('/api/map/buildings').set('If-None-Match', full.headers.etag).expect(304);
      // An unconfirmed registration changes nothing the public sees; a confirmed one does.
      await register(newTown(), 'interest-pool', false);
      await settle(sut, { deliverMail: false });
      await sut.http().get('/api/map/buildings').set('If-None-Match', full.headers.etag).expect(304);
      await register(newTown(), 'interest-pool');
      await settle(sut, { deliverMail: false });
      await sut.http().get('/api/map/buildings').set('If-None-Match', full.headers.etag).expect(200);
    });

    it('should check the potential for an address or a suggestion\'s building id, counting confirmed neighbours only', async () => {
      const address = 'Dorfstrasse 1, 5417 Untersiggenthal';
      const byAddress = await sut.http().post('/api/potential').send({ address }).expect(200);
      expect(byAddress.body).toMatchObject({ potential: false, cluster_info: null, profile_summary: { address, plz: 5417, demo: true, profile_token: expect.any(String) } });
      const byId = await sut.http().post('/api/potential').send({ building_id: byAddress.body.profile_summary.building_id }).expect(200);
      expect({ ...byId.body.profile_summary, profile_token: '', profile_expires_at: '' }).toEqual({ ...byAddress.body.profile_summary, profile_token: '', profile_expires_at: '' });

      const place = { lat: byAddress.body.profile_summary.lat, lon: byAddress.body.profile_summary.lon };
      await register(offsetMeters(place, 100, 0), 'interest-pool', false);
      expect((await sut.http().post('/api/potential').send({ address }).expect(200)).body).toMatchObject({ potential: false });
      await register(offsetMeters(place, 0, 100), 'interest-pool');
      await settle(sut, { deliverMail: false });
      const partnered = await sut.http().post('/api/potential').send({ address }).expect(200);
      expect(partnered.body).toMatchObject({ potential: true, cluster_info: { num_members: 2, autarky_percent: null } });
    });

    it('should answer 404 for an unknown address and refuse coordinates from the client', async () => {
      await sut.http().post('/api/potential').send({ address: 'Nirgendwoweg 99, 5400 Baden' }).expect(404);
      const response = await sut.http().post('/api/potential').send({ address: 'Kronengasse 1, 5400 Baden', profile: { lat: 47, lon: 8 } }).expect(400);
      expect(response.body.message).toContain('profile');
    });

    it.each([
      [{ address: '<script>' }, 'address'],
      [{ address: 'abc' }, 'address'],
      [{}, 'address or building_id'],
      [{ building_id: 'a b' }, 'building_id'],
    ])('should reject a bad potential check %j with 400', async (body, field) => {
      const response = await sut.http().post('/api/potential').send(body).expect(400);
      expect(response.body.message).toContain(field);
    });
  });
});
