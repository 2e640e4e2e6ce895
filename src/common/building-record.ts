import { Column, CreateDateColumn, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** What the address check estimates for a building; extra keys from clients are kept as submitted. */
export type BuildingProfile = {
  building_id: string;
  lat: number;
  lon: number;
  address?: string | null;
  plz?: number | null;
  building_type?: string | null;
  annual_consumption_kwh?: number;
  potential_pv_kwp?: number;
  [extra: string]: unknown;
};

/**
 * The columns shared by a full registration and an interest-pool entry. A building_id lives in
 * exactly one of the two tables; the owner's choice decides which.
 */
export abstract class BuildingRecord {
  @PrimaryColumn({ name: 'building_id', type: 'varchar', length: 100 })
  buildingId!: string;

  @Column({ type: 'varchar', length: 320 })
  email!: string;

  @Column({ type: 'varchar', length: 16, nullable: true })
  phone!: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  address!: string | null;

  @Column({ type: 'integer', nullable: true })
  plz!: number | null;

  @Column({ type: 'double precision' })
  lat!: number;

  @Column({ type: 'double precision' })
  lon!: number;

  @Column({ name: 'building_type', type: 'varchar', length: 50, nullable: true })
  buildingType!: string | null;

  @Column({ name: 'annual_consumption_kwh', type: 'double precision', default: 0 })
  annualConsumptionKwh!: number;

  @Column({ name: 'potential_pv_kwp', type: 'double precision', default: 0 })
  potentialPvKwp!: number;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  profile!: BuildingProfile;

  @Column({ type: 'boolean', default: false })
  verified!: boolean;

  @Column({ name: 'verified_at', type: 'timestamptz', nullable: true })
  verifiedAt!: Date | null;

  @Column({ name: 'registered_at', type: 'timestamptz', default: () => 'now()' })
  registeredAt!: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
