import { EntityManager, EntityTarget, In } from 'typeorm';
import { BuildingRecord } from './building-record';

export type BuildingRecordFields = Pick<
  BuildingRecord,
  | 'buildingId'
  | 'email'
  | 'phone'
  | 'address'
  | 'plz'
  | 'lat'
  | 'lon'
  | 'buildingType'
  | 'annualConsumptionKwh'
  | 'potentialPvKwp'
  | 'profile'
> &
  Partial<Pick<BuildingRecord, 'verified' | 'verifiedAt' | 'registeredAt'>>;

/** The few columns the community engine and the public map need, read without entity hydration. */
export type ClusteringRow = {
  building_id: string;
  lat: number;
  lon: number;
  annual_consumption_kwh: number;
  potential_pv_kwp: number;
  verified: boolean;
};

export type BoundingBox = { minLat: number; maxLat: number; minLon: number; maxLon: number };

export type RecordPageQuery = { page: number; limit: number; verified?: boolean; email?: string };

/**
 * Persistence for one of the two tables of building records (full registrations and the interest
 * pool). Every method takes the caller's EntityManager so that it joins the caller's transaction.
 */
export class BuildingRecordStore<T extends BuildingRecord> {
  constructor(private readonly entity: EntityTarget<T>) {}

  findById(manager: EntityManager, buildingId: string): Promise<T | null> {
    return manager.getRepository(this.entity).findOneBy({ buildingId } as never);
  }

  findByIds(manager: EntityManager, buildingIds: string[]): Promise<T[]> {
    if (buildingIds.length === 0) return Promise.resolve([]);
    return manager.getRepository(this.entity).findBy({ buildingId: In(buildingIds) } as never);
  }

  findByEmail(manager: EntityManager, email: string): Promise<T[]> {
    return manager.getRepository(this.entity).findBy({ email } as never);
  }

  /** Every record, as plain rows: 100 000 of them are read in one round trip. */
  findAllForClustering(manager: EntityManager): Promise<ClusteringRow[]> {
    return manager
      .getRepository(this.entity)
      .createQueryBuilder('r')
      .select(['r.building_id AS building_id', 'r.lat AS lat', 'r.lon AS lon'])
      .addSelect(['r.annual_consumption_kwh AS annual_consumption_kwh', 'r.potential_pv_kwp AS potential_pv_kwp', 'r.verified AS verified'])
      .getRawMany<ClusteringRow>();
  }

  /** Records inside a bounding box (the caller filters by exact distance). */
  findInBox(manager: EntityManager, box: BoundingBox): Promise<T[]> {
    return manager
      .getRepository(this.entity)
      .createQueryBuilder('r')
      .where('r.lat BETWEEN :minLat AND :maxLat AND r.lon BETWEEN :minLon AND :maxLon', box)
      .getMany();
  }

  /** Changes whenever a record is added, changed or removed: cheap enough to ask on every map read. */
  async fingerprint(manager: EntityManager): Promise<string> {
    const [row] = await manager
      .getRepository(this.entity)
      .createQueryBuilder('r')
      .select('count(*)::int', 'total')
      .addSelect("coalesce(to_char(max(r.updated_at), 'YYYYMMDDHH24MISSUS'), '-')", 'latest')
      .getRawMany<{ total: number; latest: string }>();
    return `${row.total}.${row.latest}`;
  }

  /** One page of records, newest registration first, with the total matching the filter. */
  findPage(manager: EntityManager, query: RecordPageQuery): Promise<[T[], number]> {
    const where: Record<string, unknown> = {};
    if (query.verified !== undefined) where.verified = query.verified;
    if (query.email !== undefined) where.email = query.email;
    return manager.getRepository(this.entity).findAndCount({
      where: where as never,
      order: { registeredAt: 'DESC', buildingId: 'ASC' } as never,
      skip: (query.page - 1) * query.limit,
      take: query.limit,
    });
  }

  async counts(manager: EntityManager): Promise<{ total: number; verified: number }> {
    const [row] = await manager
      .getRepository(this.entity)
      .createQueryBuilder('r')
      .select('count(*)::int', 'total')
      .addSelect('count(*) FILTER (WHERE r.verified)::int', 'verified')
      .getRawMany<{ total: number; verified: number }>();
    return row;
  }

  /** Inserts or replaces the record; a replaced record is unconfirmed again unless told otherwise. */
  async save(manager: EntityManager, fields: BuildingRecordFields): Promise<void> {
    const row = { verified: false, verifiedAt: null, registeredAt: new Date(), ...fields };
    await manager
      .createQueryBuilder()
      .insert()
      .into(this.entity)
      .values(row as never)
      .orUpdate(
        [
          'email',
          'phone',
          'address',
          'plz',
          'lat',
          'lon',
          'building_type',
          'annual_consumption_kwh',
          'potential_pv_kwp',
          'profile',
          'verified',
          'verified_at',
          'registered_at',
          'updated_at',
        ],
        ['building_id'],
      )
      .execute();
  }

  async remove(manager: EntityManager, buildingId: string): Promise<boolean> {
    const result = await manager.getRepository(this.entity).delete({ buildingId } as never);
    return (result.affected ?? 0) > 0;
  }

  /** Marks the record confirmed; returns false when it was already confirmed or does not exist. */
  async markVerified(manager: EntityManager, buildingId: string, at: Date): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .update(this.entity)
      .set({ verified: true, verifiedAt: at } as never)
      .where('building_id = :buildingId AND verified = false', { buildingId })
      .execute();
    return (result.affected ?? 0) > 0;
  }
}
