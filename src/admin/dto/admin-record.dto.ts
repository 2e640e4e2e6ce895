import { RecordType, StoredRecord } from '../../building-records/building-record';

/** A record as administrators see it, personal data included. */
export class AdminRecordDto {
  building_id!: string;
  /** @example "registered" */
  type!: 'anonymous' | 'registered';
  email!: string;
  phone!: string | null;
  address!: string | null;
  plz!: number | null;
  lat!: number;
  lon!: number;
  building_type!: string | null;
  annual_consumption_kwh!: number;
  potential_pv_kwp!: number;
  profile!: Record<string, unknown>;
  verified!: boolean;
  verified_at!: string | null;
  registered_at!: string;
  updated_at!: string;
}

export class AdminRecordPageDto {
  items!: AdminRecordDto[];
  /** @example 1 */
  page!: number;
  /** @example 50 */
  limit!: number;
  /** @example 1234 */
  total!: number;
}

export class AdminStatsDto {
  /** @example { "buildings": 120, "interest_pool": 80 } */
  records!: { buildings: number; interest_pool: number };
  /** @example { "buildings": 90, "interest_pool": 40 } */
  verified!: { buildings: number; interest_pool: number };
  /** @example { "active": 150, "expired": 12 } */
  tokens!: { active: number; expired: number };
  /** @example { "pending": 0, "failed": 1, "sent": 400 } */
  outbox!: { pending: number; failed: number; sent: number };
}

export class PurgeResultDto {
  /** False when another purge was running (on another replica). @example true */
  ran!: boolean;
  /** @example 42 */
  removed!: number;
}

export class RecomputeResultDto {
  /** False when a recomputation was already running (here or on another replica). @example true */
  ran!: boolean;
  /** @example 14 */
  communities!: number;
  /** Contact e-mails queued because a community's confirmed members changed. @example 2 */
  notifications!: number;
}

export function toAdminRecord(record: StoredRecord, type: RecordType): AdminRecordDto {
  return {
    building_id: record.buildingId,
    type,
    email: record.email,
    phone: record.phone,
    address: record.address,
    plz: record.plz,
    lat: record.lat,
    lon: record.lon,
    building_type: record.buildingType,
    annual_consumption_kwh: record.annualConsumptionKwh,
    potential_pv_kwp: record.potentialPvKwp,
    profile: record.profile,
    verified: record.verified,
    verified_at: record.verifiedAt?.toISOString() ?? null,
    registered_at: record.registeredAt.toISOString(),
    updated_at: record.updatedAt.toISOString(),
  };
}
