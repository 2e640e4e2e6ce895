import { buildGazetteer, GazetteerEntry } from '../src/addresses/offline/gazetteer';
import { haversineMeters, LatLon } from '../src/geo/geo';
import { MAILBOX_LIMIT_SUBJECT, VERIFICATION_SUBJECT } from '../src/mail/mail-templates';
import { registrationBody } from './helpers/factories';
import { AppWithSmtp, linkIn, startAppWithSmtp } from './helpers/app-with-smtp';
import { ReceivedMail, SmtpTestServer } from './helpers/smtp-test-server';
import { ErasureService } from '../src/registration/erasure.service';
import { settle, TestApp } from './helpers/test-app';

/**
 * The attacks of the privacy issue, run against the service as a stranger would: only public routes,
 * many requests, and the mails that reach mailboxes over real SMTP. Each test fails if its attack works.
 * The hijack and the timing of link requests are in ownership.e2e-spec.ts; rate limits across replicas,
 * recomputation under churn and logs in the reliability suite (see SECURITY.md).
 */
const GAZETTEER = buildGazetteer();
const RADIUS_M = 150;
const ANONYMITY_M = 120;


function entry(label: string): GazetteerEntry {
  const found = GAZETTEER.entries.find((candidate) => candidate.label === label);
  if (!found) throw new Error(`not in the demo gazetteer: ${label}`);
  return found;
}

function mailsTo(smtp: SmtpTestServer, mailbox: (address: string) => boolean): ReceivedMail[] {
  return smtp.received.filter((mail) => mail.envelopeTo.some(mailbox));
}

/** Registers an address with the profile the address check signed, and confirms it from the mailbox. */
async function registerConfirmed(context: AppWithSmtp, label: string, email: string, route = '/api/buildings'): Promise<void> {
  const { sut, smtp } = context;
  const check = await sut.http().post('/api/potential').send({ address: label }).expect(200);
  await sut.http().post(route).send({ email, profile: check.body.profile_summary }).expect(201);
  await settle(sut);
  const mail = mailsTo(smtp, (to) => to === email).filter((received) => received.header('subject') === VERIFICATION_SUBJECT).at(-1);
  if (!mail) return;
  const token = linkIn(mail, 'confirm');
  await sut.http().post('/api/verification/confirm').send({ token }).expect(200);
  await settle(sut);
}

type Marker = { lat: number; lon: number };

async function publicMarkers(sut: TestApp): Promise<Marker[]> {
  return (await sut.http().get('/api/map/buildings').expect(200)).body.buildings as Marker[];
}

describe('Attacks on the privacy promise (e2e)', () => {
  describe('1. locating a registered person with an exact-distance oracle', () => {
    let context: AppWithSmtp;
    beforeAll(async () => (context = await startAppWithSmtp()));
    afterAll(() => context?.close());

    it('should decide every check from the public marker only, so probing recovers nothing finer than the map', async () => {
      const victim = entry('Kronengasse 7, 5400 Baden');
      await registerConfirmed(context, victim.label, 'victim.one@example.ch', '/api/interest-pool');
      const [marker] = await publicMarkers(context.sut);
      expect(haversineMeters(marker, victim)).toBeGreaterThan(0.5);

      const probes = GAZETTEER.entries.filter((candidate) => candidate.id !== victim.id && haversineMeters(candidate, victim) < 450);
      expect(probes.length).toBeGreaterThan(40);
      const seen: LatLon[] = [];
      for (const probe of probes) {
        const answer = (await context.sut.http().post('/api/potential').send({ address: probe.label }).expect(200)).body;
        // The answer is exactly what the public marker predicts, whatever the exact position.
        expect({ probe: probe.label, potential: answer.potential }).toEqual({ probe: probe.label, potential: haversineMeters(probe, marker) <= RADIUS_M + ANONYMITY_M });
        if (answer.cluster_info) seen.push(...(answer.cluster_info.members as LatLon[]).slice(1));
      }
      expect(seen.length).toBeGreaterThan(0);
      for (const position of seen) expect(haversineMeters(position, marker)).toBeLessThan(0.01);
    });
  });

  describe('2. harvesting contacts by registering next to the victims, hop after hop', () => {
    let context: AppWithSmtp;
    beforeAll(async () => (context = await startAppWithSmtp({ MAX_REGISTRATIONS_PER_MAILBOX: '3' })));
    afterAll(() => context?.close());

    it('should give one mailbox the contacts of at most MAX_REGISTRATIONS_PER_MAILBOX neighbourhoods, and never let it place itself', async () => {
      // Five neighbourhoods far apart, each with two confirmed owners and a free house next door.
      const streets = ['Badstrasse', 'Burghaldenstrasse', 'Martinsbergstrasse', 'Grendelstrasse', 'Geissbergstrasse'];
      const places = streets.map((name) => GAZETTEER.entries.filter((candidate) => candidate.street.name === name).slice(0, 3));
      for (let i = 0; i < places.length; i++) {
        for (let j = i + 1; j < places.length; j++) expect(haversineMeters(places[i][0], places[j][0])).toBeGreaterThan(2 * RADIUS_M + 50);
      }
      const victims = places.map((_houses, i) => [`owner.a${i}@example.ch`, `owner.b${i}@example.ch`]);
      for (let i = 0; i < places.length; i++) {
        await registerConfirmed(context, places[i][0].label, victims[i][0]);
        await registerConfirmed(context, places[i][1].label, victims[i][1]);
      }

      // A hand-placed position is refused: the attacker cannot stand wherever the victims are.
      const placed = registrationBody({ email: 'mallory@evil.example', lat: places[0][0].lat, lon: places[0][0].lon });
      const check = await context.sut.http().post('/api/potential').send({ address: places[4][2].label }).expect(200);
      await context.sut.http().post('/api/buildings').send({ ...placed, profile: { ...check.body.profile_summary, lat: places[0][0].lat, lon: places[0][0].lon } }).expect(400);

      for (let i = 0; i < places.length; i++) await registerConfirmed(context, places[i][2].label, `mallory+${i}@evil.example`);
      await settle(context.sut);
      await settle(context.sut);

      const malloryMails = mailsTo(context.smtp, (to) => to.endsWith('@evil.example'));
      const harvested = victims.map((pair) => pair.filter((email) => malloryMails.some((mail) => mail.body.includes(email))).length);
      expect(harvested.filter((count) => count > 0).length).toBeLessThanOrEqual(3);
      expect(harvested.slice(3)).toEqual([0, 0]);
      expect(malloryMails.filter((mail) => mail.header('subject') === MAILBOX_LIMIT_SUBJECT)).toHaveLength(2);
    });
  });

  describe('4. telling whether an address is registered, and in which table', () => {
    let context: AppWithSmtp;
    beforeAll(async () => (context = await startAppWithSmtp()));
    afterAll(() => context?.close());

    it('should answer a check of an address the same whether or not it is registered, anonymously or fully', async () => {
      const address = entry('Rathausgasse 3, 5400 Baden');
      await registerConfirmed(context, entry('Rathausgasse 1, 5400 Baden').label, 'neighbour.rg@example.ch');
      await registerConfirmed(context, entry('Rathausgasse 5, 5400 Baden').label, 'neighbour2.rg@example.ch', '/api/interest-pool');
      const check = async () => {
        const body = (await context.sut.http().post('/api/potential').send({ address: address.label }).expect(200)).body;
        return { ...body, profile_summary: { ...body.profile_summary, profile_token: undefined, profile_expires_at: undefined } };
      };
      const unregistered = await check();
      expect(unregistered.potential).toBe(true);

      await registerConfirmed(context, address.label, 'owner.rg@example.ch', '/api/interest-pool');
      expect(await check()).toEqual(unregistered);
      await registerConfirmed(context, address.label, 'owner.rg@example.ch', '/api/buildings');
      expect(await check()).toEqual(unregistered);
    });
  });

  describe('5. flooding a mailbox through the registration routes', () => {
    let context: AppWithSmtp;
    beforeAll(async () => (context = await startAppWithSmtp({ MAIL_LIMIT_LINKS: '3/1d', MAIL_QUIET_PERIOD: '1m', MAX_REGISTRATIONS_PER_MAILBOX: '3' })));
    afterAll(() => context?.close());

    it('should deliver at most one mail to the victim within the quiet period, however many registrations name it', async () => {
      const routes = ['/api/interest-pool', '/api/buildings', '/api/register_anonymous', '/api/register_full'];
      const statuses = [];
      for (let i = 0; i < 80; i++) {
        const body = registrationBody({ email: i % 2 ? 'Victim+spam@example.ch' : 'victim@example.ch' });
        statuses.push((await context.sut.http().post(routes[i % routes.length]).send(body)).status);
      }
      await settle(context.sut);
      expect(mailsTo(context.smtp, (to) => to.toLowerCase().replace(/\+[^@]*@/, '@') === 'victim@example.ch')).toHaveLength(1);
      expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(78);
    });
  });

  describe('6. publishing a stranger’s address without their confirmation', () => {
    let context: AppWithSmtp;
    beforeAll(async () => (context = await startAppWithSmtp()));
    afterAll(() => context?.close());

    it('should show an unconfirmed registration on no map, in no community and in no check', async () => {
      await registerConfirmed(context, entry('Weite Gasse 1, 5400 Baden').label, 'weite1@example.ch');
      const probe = entry('Weite Gasse 5, 5400 Baden');
      const before = {
        map: await publicMarkers(context.sut),
        clusters: (await context.sut.http().get('/api/clusters').expect(200)).body,
        check: (await context.sut.http().post('/api/potential').send({ address: probe.label }).expect(200)).body.cluster_info,
      };
      const stranger = await context.sut.http().post('/api/potential').send({ address: entry('Weite Gasse 3, 5400 Baden').label }).expect(200);
      await context.sut.http().post('/api/buildings').send({ email: 'stranger@example.ch', profile: stranger.body.profile_summary }).expect(201);
      await settle(context.sut);

      expect(await publicMarkers(context.sut)).toEqual(before.map);
      expect((await context.sut.http().get('/api/clusters').expect(200)).body).toEqual(before.clusters);
      expect((await context.sut.http().post('/api/potential').send({ address: probe.label }).expect(200)).body.cluster_info).toEqual(before.check);
    });
  });

  describe('7. one neighbour’s energy figures by difference', () => {
    let context: AppWithSmtp;
    beforeAll(async () => (context = await startAppWithSmtp()));
    afterAll(() => context?.close());

    /** The public figures of the community around a lone owner with the given consumption, after adding zero probes. */
    async function publishedWith(consumptionKwh: number, pvKwp: number, tag: string) {
      const { sut, smtp } = context;
      const at = { lat: 47.4731, lon: 8.3066 };
      const owner = registrationBody({ email: `lone.${tag}@example.ch`, ...at, annualConsumptionKwh: consumptionKwh, potentialPvKwp: pvKwp });
      const probes = [1, 2].map((n) => registrationBody({ email: `probe${n}.${tag}@example.ch`, lat: at.lat + n * 0.0001, lon: at.lon, annualConsumptionKwh: 0, potentialPvKwp: 0 }));
      const published = [];
      for (const body of [owner, ...probes]) {
        await sut.http().post('/api/buildings').send(body).expect(201);
        await settle(sut, { deliverMail: true });
        const mail = mailsTo(smtp, (to) => to === body.email).at(-1)!;
        await sut.http().post('/api/verification/confirm').send({ token: linkIn(mail, 'confirm') }).expect(200);
        await settle(sut);
        const [community] = (await sut.http().get('/api/clusters').expect(200)).body.clusters;
        if (community) published.push({ members: community.num_members, autarky: community.autarky_percent, consumption: community.total_consumption_mwh, production: community.total_production_mwh });
      }
      for (const body of [owner, ...probes]) await sut.app.get(ErasureService).erase(body.profile.building_id);
      await settle(sut);
      return published;
    }

    it('should publish nothing that depends on the household’s figures while probes surround it', async () => {
      const first = await publishedWith(12_000, 8, 'x');
      const second = await publishedWith(14_400, 11, 'y');
      expect(first.map((community) => community.members)).toEqual([2, 3]);
      expect(first).toEqual(second);
      expect(first[1]).toEqual({ members: 3, autarky: null, consumption: null, production: null });
    });
  });
});
