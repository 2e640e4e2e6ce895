import { EntityManager } from 'typeorm';
import { RecordType } from '../../src/building-records/building-record';
import { BuildingRecordsService } from '../../src/building-records/building-records.service';
import { CommunitiesModule } from '../../src/communities/communities.module';
import { ContactMember } from '../../src/communities/engine/contact-lists';
import { zOrderKey } from '../../src/communities/engine/nearby-window';
import { ContactNotifier } from '../../src/communities/notifications/contact-notifier.service';
import { RecomputationService } from '../../src/communities/recomputation/recomputation.service';
import { CommunityStore } from '../../src/communities/store/community.store';
import { LatLon, offsetMeters } from '../../src/geo/geo';
import { uniqueBuildingId } from '../helpers/factories';
import { QueuedMail, readOutbox } from '../helpers/outbox';
import { MailComposers } from '../../src/mail/mail-composers';
import { ServiceContext, startServiceContext } from '../helpers/service-context';

let placeCounter = 0;
function newPlace(): LatLon {
  placeCounter += 1;
  return { lat: 45.4 + placeCounter * 0.05, lon: 6.2 + placeCounter * 0.05 };
}

type Member = { id: string; email: string; type: RecordType; at: LatLon; confirmedAt: Date };

describe(ContactNotifier.name, () => {
  let context: ServiceContext;
  let sut: ContactNotifier;
  let records: BuildingRecordsService;
  let store: CommunityStore;
  let manager: EntityManager;

  beforeAll(async () => {
    context = await startServiceContext([CommunitiesModule]);
    sut = context.app.get(ContactNotifier);
    records = context.app.get(BuildingRecordsService);
    store = context.app.get(CommunityStore);
    manager = context.dataSource.manager;
    // The run that start-up schedules for a fresh database, out of the way of the tests.
    await context.app.get(RecomputationService).settled();
  });

  afterAll(async () => {
    await context.close();
  });

  async function member(at: LatLon, type: RecordType = 'registered'): Promise<Member> {
    const id = uniqueBuildingId('cn');
    const created = { id, email: `${id}@example.ch`, type, at, confirmedAt: new Date() };
    await save(created, '+41791234567');
    return created;
  }

  async function save({ id, email, type, at, confirmedAt }: Member, phone: string): Promise<void> {
    await records.save(manager, type, {
      buildingId: id,
      email,
      phone,
      address: `Teststrasse ${placeCounter}, 5400 Baden`,
      plz: 5400,
      lat: at.lat,
      lon: at.lon,
      buildingType: 'EFH',
      annualConsumptionKwh: 5000,
      potentialPvKwp: 5,
      profile: { building_id: id, lat: at.lat, lon: at.lon },
      verified: true,
      verifiedAt: confirmedAt,
    });
  }

  /** A community as the full pass hands it over: its confirmed full registrations only. */
  function community(members: Member[]): Map<string, { autarkyPercent: number; members: ContactMember[] }> {
    const registered = members.filter((m) => m.type === 'registered');
    return new Map([
      [uniqueBuildingId('c'), { autarkyPercent: 30, members: registered.map((m) => ({ building_id: m.id, z_key: zOrderKey(m.at), confirmed_at: m.confirmedAt.getTime() })) }],
    ]);
  }

  const mailsTo = async (kind: string, members: Member[]): Promise<QueuedMail[]> =>
    (await readOutbox(context.dataSource, context.app.get(MailComposers))).filter((mail) => mail.kind === kind && members.some((m) => m.id === mail.buildingId));

  it('should send each confirmed full registration its list once, and again only when the list changes', async () => {
    const place = newPlace();
    const first = await member(place);
    const second = await member(offsetMeters(place, 40, 0));
    const pooled = await member(offsetMeters(place, 80, 0), 'anonymous');
    const pair = community([first, second, pooled]);

    expect(await sut.notifyAll(manager, pair, new Date())).toBe(2);
    const mails = await mailsTo('contact-overview', [first, second, pooled]);
    expect(mails.map((mail) => mail.to).sort()).toEqual([first.email, second.email].sort());
    for (const mail of mails) {
      expect(mail.text).toContain(first.email);
      expect(mail.text).toContain(second.email);
      expect(mail.text).not.toContain(pooled.email);
    }
    expect(await sut.notifyAll(manager, pair, new Date())).toBe(0);

    const third = await member(offsetMeters(place, 0, 40));
    expect(await sut.notifyAll(manager, community([first, second, third]), new Date())).toBe(3);
  });

  it('should tell the neighbours again when a building gets a new holder', async () => {
    const place = newPlace();
    const first = await member(place);
    const second = await member(offsetMeters(place, 40, 0));
    await sut.notifyAll(manager, community([first, second]), new Date());
    const newHolder = { ...second, confirmedAt: new Date(second.confirmedAt.getTime() + 1000) };
    expect(await sut.notifyAll(manager, community([first, newHolder]), new Date())).toBe(2);
  });

  it('should not send an overview to a lone confirmed member', async () => {
    const lone = await member(newPlace());
    expect(await sut.notifyAll(manager, community([lone]), new Date())).toBe(0);
  });

  it('should cut the lists of a community larger than a list from the nearest members', async () => {
    const place = newPlace();
    const row = await Promise.all(Array.from({ length: 55 }, (_, i) => member(offsetMeters(place, 0, i * 30))));
    await sut.notifyAll(manager, community(row), new Date());
    const [mail] = await mailsTo('contact-overview', [row[0]]);
    expect(mail.text).toContain(row[1].email);
    expect(mail.text).not.toContain(row[54].email);
  });

  it('should queue a list of fifty in a small fraction of its rendered size and render it with the details its members have when it is sent', async () => {
    const place = newPlace();
    const row = await Promise.all(Array.from({ length: 50 }, (_, i) => member(offsetMeters(place, 0, i * 3))));
    await sut.notifyAll(manager, community(row), new Date());
    const [{ bytes }] = await context.dataSource.query<{ bytes: number }[]>(
      `SELECT octet_length(payload) AS bytes FROM mail_outbox WHERE building_id = $1 AND kind = 'contact-overview'`,
      [row[0].id],
    );
    expect(bytes).toBeLessThan(2500);

    await save(row[1], '+41799990011');
    const [mail] = await mailsTo('contact-overview', [row[0]]);
    expect(mail.text).toContain('+41799990011');
    expect(mail.text).toContain(row[49].email);
    expect(bytes * 10).toBeLessThan(Buffer.byteLength(mail.text) + Buffer.byteLength(mail.html));
  });

  it('should compose nothing for a recipient who left after the list was queued', async () => {
    const place = newPlace();
    const pair = [await member(place), await member(offsetMeters(place, 40, 0))];
    await sut.notifyAll(manager, community(pair), new Date());
    await records.remove(manager, pair[0].id);
    const [mail] = await mailsTo('contact-overview', [pair[0]]);
    expect(mail.text).toBe('');
    expect((await mailsTo('contact-overview', [pair[1]]))[0].text).not.toContain(pair[0].email);
  });

  it('should carry an old contact state over, so that nobody is told again what they were told', async () => {
    const place = newPlace();
    const a = await member(place);
    const b = await member(offsetMeters(place, 40, 0));
    const together = community([a, b]);

    expect(await sut.seed(manager, together, [[a.id, b.id, 'gone-building']], new Date())).toEqual({ seeded: 1, unmatched: 0 });
    expect(await sut.seed(manager, together, [['nowhere-1', 'nowhere-2']], new Date())).toEqual({ seeded: 0, unmatched: 1 });
    expect(await sut.notifyAll(manager, together, new Date())).toBe(0);
    expect((await store.digestsOf(manager, [a.id, b.id])).size).toBe(2);
  });

  it('should tell confirmed full registrations within the radius about a newly confirmed neighbour', async () => {
    const place = newPlace();
    const near = await member(offsetMeters(place, 100, 0));
    const far = await member(offsetMeters(place, 400, 0));
    const pooled = await member(offsetMeters(place, 50, 0), 'anonymous');
    const newcomer = await member(place);

    expect(await sut.notifyNeighboursOfConfirmation(manager, newcomer.id)).toBe(1);
    const [mail] = await mailsTo('new-neighbour', [near, far, pooled, newcomer]);
    expect(mail.to).toBe(near.email);
    expect(mail.text).toContain(`${newcomer.email}`);
    expect(mail.text).toContain('(NEU)');
  });

  it('should compose a new-neighbour note from the records as they are when sent, and drop it once the newcomer has left', async () => {
    const place = newPlace();
    const near = await member(offsetMeters(place, 60, 0));
    const newcomer = await member(place);
    await sut.notifyNeighboursOfConfirmation(manager, newcomer.id);
    await save(newcomer, '+41799990022');
    expect((await mailsTo('new-neighbour', [near]))[0].text).toContain('+41799990022');

    await records.remove(manager, newcomer.id);

    expect((await mailsTo('new-neighbour', [near]))[0].text).toBe('');
  });
});
