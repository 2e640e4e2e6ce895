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
