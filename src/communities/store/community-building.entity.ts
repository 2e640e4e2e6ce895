import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A confirmed registration as the communities see it: the engine's input (exact position, figures),
 * its community, and what the public map shows of it (a blurred position, its kind). Kept in step
 * with the record tables by the recomputation, one change at a time; only public_* and registered
 * ever leave the service.
 */
@Entity({ name: 'community_buildings' })
@Index('idx_community_buildings_position', ['lat', 'lon'])
@Index('idx_community_buildings_public_position', ['publicLat', 'publicLon'])
@Index('idx_community_buildings_community', ['communityId', 'registered'])
// Partial (registered only), declared in its migration: windows of the contact order around a change.
@Index('idx_community_buildings_contact_order', { synchronize: false })
export class CommunityBuilding {
  @PrimaryColumn({ name: 'building_id', type: 'varchar', length: 100 })
  buildingId!: string;

  @Column({ name: 'community_id', type: 'varchar', length: 40, nullable: true })
  communityId!: string | null;

  /** A full registration (contact details are passed on) rather than an interest-pool entry. */
  @Column({ type: 'boolean' })
  registered!: boolean;

  @Column({ type: 'double precision' })
  lat!: number;

  @Column({ type: 'double precision' })
  lon!: number;

  @Column({ name: 'public_lat', type: 'double precision' })
  publicLat!: number;

  @Column({ name: 'public_lon', type: 'double precision' })
  publicLon!: number;

  @Column({ name: 'annual_consumption_kwh', type: 'double precision' })
  annualConsumptionKwh!: number;

  @Column({ name: 'potential_pv_kwp', type: 'double precision' })
  potentialPvKwp!: number;

  /** Position along the Z-order curve, which contact lists are cut from. */
  @Column({ name: 'z_key', type: 'double precision' })
  zKey!: number;

  /** When the current holder confirmed: a new holder of the building is a new contact. */
  @Column({ name: 'confirmed_at', type: 'timestamptz' })
  confirmedAt!: Date;
}
