import { Column, CreateDateColumn, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** Letters, digits, `_` and `-`, 1–100 characters: every building id the service stores or accepts. */
export const BUILDING_ID_PATTERN = /^[A-Za-z0-9_-]{1,100}$/;

/** Which of the two tables holds a building: the owner's choice when registering. */
export type RecordType = 'registered' | 'anonymous';

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

/** A building record as the code reads and writes it, whichever table it lives in. */
export interface BuildingRecordFields {
  buildingId: string;
  email: string;
  phone: string | null;
  address: string | null;
  plz: number | null;
  lat: number;
  lon: number;
  buildingType: string | null;
  annualConsumptionKwh: number;
  potentialPvKwp: number;
  profile: BuildingProfile;
  verified: boolean;
  verifiedAt: Date | null;
  registeredAt: Date;
}

/** A stored record: the fields plus the bookkeeping the database keeps. */
export interface StoredRecord extends BuildingRecordFields {
  updatedAt: Date;
}

type ColumnSpec = { column: string; sqlType: string };

/**
 * Each field's column and the PostgreSQL type of its array form: the one definition behind the
 * entities' columns, the single and batched upserts, the import and the export.
 */
export const RECORD_COLUMNS = {
  buildingId: { column: 'building_id', sqlType: 'varchar' },
  email: { column: 'email', sqlType: 'varchar' },
  phone: { column: 'phone', sqlType: 'varchar' },
  address: { column: 'address', sqlType: 'varchar' },
  plz: { column: 'plz', sqlType: 'int' },
  lat: { column: 'lat', sqlType: 'float8' },
  lon: { column: 'lon', sqlType: 'float8' },
  buildingType: { column: 'building_type', sqlType: 'varchar' },
  annualConsumptionKwh: { column: 'annual_consumption_kwh', sqlType: 'float8' },
  potentialPvKwp: { column: 'potential_pv_kwp', sqlType: 'float8' },
  profile: { column: 'profile', sqlType: 'jsonb' },
  verified: { column: 'verified', sqlType: 'boolean' },
  verifiedAt: { column: 'verified_at', sqlType: 'timestamptz' },
  registeredAt: { column: 'registered_at', sqlType: 'timestamptz' },
} as const satisfies { [K in keyof BuildingRecordFields]: ColumnSpec };

export const RECORD_FIELDS = Object.keys(RECORD_COLUMNS) as (keyof BuildingRecordFields)[];

const C = RECORD_COLUMNS;

/**
 * The columns shared by a full registration and an interest-pool entry. A building_id lives in
 * exactly one of the two tables; BuildingRecordsService keeps it that way.
 */
export abstract class BuildingRecord implements StoredRecord {
  @PrimaryColumn({ name: C.buildingId.column, type: 'varchar', length: 100 })
  buildingId!: string;

  @Column({ name: C.email.column, type: 'varchar', length: 320 })
  email!: string;

  @Column({ name: C.phone.column, type: 'varchar', length: 16, nullable: true })
  phone!: string | null;

  @Column({ name: C.address.column, type: 'varchar', length: 200, nullable: true })
  address!: string | null;

  @Column({ name: C.plz.column, type: 'integer', nullable: true })
  plz!: number | null;

  @Column({ name: C.lat.column, type: 'double precision' })
  lat!: number;

  @Column({ name: C.lon.column, type: 'double precision' })
  lon!: number;

  @Column({ name: C.buildingType.column, type: 'varchar', length: 50, nullable: true })
  buildingType!: string | null;

  @Column({ name: C.annualConsumptionKwh.column, type: 'double precision', default: 0 })
  annualConsumptionKwh!: number;

  @Column({ name: C.potentialPvKwp.column, type: 'double precision', default: 0 })
  potentialPvKwp!: number;

  @Column({ name: C.profile.column, type: 'jsonb', default: () => "'{}'" })
  profile!: BuildingProfile;

  @Column({ name: C.verified.column, type: 'boolean', default: false })
  verified!: boolean;

  @Column({ name: C.verifiedAt.column, type: 'timestamptz', nullable: true })
  verifiedAt!: Date | null;

  @Column({ name: C.registeredAt.column, type: 'timestamptz', default: () => 'now()' })
  registeredAt!: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
