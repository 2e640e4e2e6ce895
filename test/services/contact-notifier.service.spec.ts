import { EntityManager } from 'typeorm';
import { RecordType } from '../../src/building-records/building-record';
import { BuildingRecordsService } from '../../src/building-records/building-records.service';
import { CommunitiesModule } from '../../src/communities/communities.module';
import { LatLon, offsetMeters } from '../../src/geo/geo';
import { ContactNotifier, NotifiableCommunity } from '../../src/communities/notifications/contact-notifier.service';
import { RecomputationService } from '../../src/communities/recomputation/recomputation.service';
import { CommunityStore } from '../../src/communities/store/community.store';
import { uniqueBuildingId } from '../helpers/factories';
import { QueuedMail, readOutbox } from '../helpers/outbox';
import { ServiceContext, startServiceContext } from '../helpers/service-context';

let placeCounter = 0;
function newPlace(): LatLon {
  placeCounter += 1;
  return { lat: 45.4 + placeCounter * 0.05, lon: 6.2 + placeCounter * 0.05 };
}

type Member = { id: string; email: string; type: RecordType; verified: boolean; at: LatLon };

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

  async function member(at: LatLon, type: RecordType = 'registered', verified = true): Promise<Member> {
    const id = uniqueBuildingId('cn');
    const email = `${id}@example.ch`;
    await records.save(manager, type, {
      buildingId: id,
      email,
      phone: '+41791234567',
      address: `Teststrasse ${placeCounter}, 5400 Baden`,
      plz: 5400,
      lat: at.lat,
      lon: at.lon,
      buildingType: 'EFH',
      annualConsumptionKwh: 5000,
      potentialPvKwp: 5,
      profile: { building_id: id, lat: at.lat, lon: at.lon },
      ...(verified ? { verified: true, verifiedAt: new Date() } : {}),
    });
    return { id, email, type, verified, at };
  }

  function community(id: string, members: Member[]): NotifiableCommunity {
    return {
      community_id: id,
      autarky_percent: 30,
      members: members.map((m) => ({ building_id: m.id, lat: m.at.lat, lon: m.at.lon, annual_consumption_kwh: 5000, potential_pv_kwp: 5, verified: m.verified, type: m.type })),
    };
  }

  const mailsTo = async (kind: string, members: Member[]): Promise<QueuedMail[]> =>
    (await readOutbox(context.dataSource)).filter((mail) => mail.kind === kind && members.some((m) => m.id === mail.buildingId));

  it('should send the overview to confirmed full registrations only, listing only them, once per change of that set', async () => {
    const place = newPlace();
    const first = await member(place);
    const second = await member(offsetMeters(place, 40, 0));
    const pooled = await member(offsetMeters(place, 80, 0), 'anonymous');
    const unconfirmed = await member(offsetMeters(place, 120, 0), 'registered', false);
    const id = uniqueBuildingId('c');
    const all = [first, second, pooled, unconfirmed];

    expect(await sut.notifyCommunities(manager, [community(id, all)], new Date())).toBe(2);
    const mails = await mailsTo('contact-overview', all);
    expect(mails.map((mail) => mail.to).sort()).toEqual([first.email, second.email].sort());
    for (const mail of mails) {
      expect(mail.text).toContain(first.email);
      expect(mail.text).toContain(second.email);
      expect(mail.text).not.toContain(pooled.email);
      expect(mail.text).not.toContain(unconfirmed.email);
    }
    expect(await sut.notifyCommunities(manager, [community(id, all)], new Date())).toBe(0);

    const third = await member(offsetMeters(place, 0, 40));
    expect(await sut.notifyCommunities(manager, [community(id, [...all, third])], new Date())).toBe(3);
    expect((await store.findContactState(manager, id))?.buildingIds).toEqual([first.id, second.id, third.id].sort());
  });

  it('should not send an overview to a lone confirmed member', async () => {
    const lone = await member(newPlace());
    expect(await sut.notifyCommunities(manager, [community(uniqueBuildingId('c'), [lone])], new Date())).toBe(0);
  });

  it('should carry an old contact state over to the community holding most of its members', async () => {
    const place = newPlace();
    const a = await member(place);
    const b = await member(offsetMeters(place, 40, 0));
    const id = uniqueBuildingId('c');

    const outcome = await sut.seedContactStates(manager, [community(id, [a, b])], [[a.id, b.id, 'gone-building']], new Date());

    expect(outcome).toEqual({ seeded: 1, unmatched: 0 });
    expect(await sut.notifyCommunities(manager, [community(id, [a, b])], new Date())).toBe(0);
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
});
