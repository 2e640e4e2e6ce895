import { ConfigService } from '@nestjs/config';
import { SourceRecord } from '../../building-records/building-records.service';
import { deriveKey } from '../../config/app-secret';
import { Env } from '../../config/env.validation';
import { LatLon } from '../../geo/geo';
import { energyFromTotals } from '../engine/autarky';
import { compareIds } from '../engine/community-id';
import { zOrderKey } from '../engine/nearby-window';
import { hullVertices } from '../engine/polygon';
import { publicPositionFor } from '../public/public-position';
import { CommunityRow, SnapshotRow } from '../store/community.store';

/** The settings and keys every way of computing communities shares: incremental and full alike. */
export type CommunitySettings = { radiusM: number; minSamples: number; idKey: Buffer; publicPosition: (b: { building_id: string; lat: number; lon: number }) => LatLon };

export function communitySettings(config: ConfigService<Env, true>): CommunitySettings {
  return {
    radiusM: config.get('CLUSTER_RADIUS_M', { infer: true }),
    minSamples: config.get('MIN_COMMUNITY_SIZE', { infer: true }),
    idKey: deriveKey(config.get('APP_SECRET', { infer: true }) ?? '', 'community-id'),
    publicPosition: publicPositionFor(config),
  };
}

/** A confirmed record as the snapshot keeps it, its community still to be decided. */
export function snapshotRowOf(record: SourceRecord, settings: CommunitySettings): SnapshotRow {
  const shown = settings.publicPosition(record);
  return {
    building_id: record.building_id,
    community_id: null,
    registered: record.type === 'registered',
    lat: record.lat,
    lon: record.lon,
    public_lat: shown.lat,
    public_lon: shown.lon,
    annual_consumption_kwh: record.annual_consumption_kwh,
    potential_pv_kwp: record.potential_pv_kwp,
    z_key: zOrderKey(record),
    confirmed_at: record.verified_at,
  };
}

export const publicPointOf = (row: Pick<SnapshotRow, 'public_lat' | 'public_lon'>): LatLon => ({ lat: row.public_lat, lon: row.public_lon });

export function hullOf(points: readonly LatLon[]): [number, number][] {
  return hullVertices(points).map((point): [number, number] => [point.lat, point.lon]);
}

export const hullPoints = (hull: readonly [number, number][]): LatLon[] => hull.map(([lat, lon]) => ({ lat, lon }));

/** A community's row from its members, summed in id order as the engine sums them. */
export function communityRowOf(id: string, members: readonly SnapshotRow[]): CommunityRow {
  const ordered = [...members].sort((a, b) => compareIds(a.building_id, b.building_id));
  let consumption = 0;
  let pv = 0;
  for (const member of ordered) {
    consumption += member.annual_consumption_kwh;
    pv += member.potential_pv_kwp;
  }
  return {
    id,
    num_members: ordered.length,
    total_consumption_kwh: consumption,
    total_pv_kwp: pv,
    autarky_percent: energyFromTotals(consumption, pv).autarky_percent,
    first_member_id: ordered[0].building_id,
    hull: hullOf(ordered.map(publicPointOf)),
  };
}

/** A community's row with new totals (the autarky follows from them). */
export function withTotals(row: CommunityRow, consumptionKwh: number, pvKwp: number): CommunityRow {
  const consumption = Math.max(0, consumptionKwh);
  const pv = Math.max(0, pvKwp);
  return { ...row, total_consumption_kwh: consumption, total_pv_kwp: pv, autarky_percent: energyFromTotals(consumption, pv).autarky_percent };
}

export const samePlace = (a: Pick<SnapshotRow, 'lat' | 'lon'>, b: Pick<SnapshotRow, 'lat' | 'lon'>): boolean => a.lat === b.lat && a.lon === b.lon;
