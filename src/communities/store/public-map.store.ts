import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { LatLonBox } from '../../geo/geo-box';
import { CellCount, Marker, summedPerCell } from '../public/map-grid';

const WRITE_BATCH = 10_000;

/** A community as the public may see it, before its figures are coarsened. */
export type PublishedCommunityRow = {
  id: string;
  num_members: number;
  total_consumption_kwh: number;
  total_pv_kwp: number;
  autarky_percent: number;
  hull: [number, number][];
  members: [number, number][];
  /** The largest single member's figures, for the dominance rule of the published figures. */
  largest_consumption_kwh: number;
  largest_pv_kwp: number;
};

/**
 * What the public map reads: the version of the public data, the markers (public positions of
 * confirmed registrations, from the community snapshot) and the cell counts. Part of the store:
 * only its module touches these tables.
 */
@Injectable()
export class PublicMapStore {
  async version(manager: EntityManager): Promise<string> {
    const [row] = await manager.query<{ version: string }[]>('SELECT version FROM public_data_version WHERE id = 1');
    return row?.version ?? '0';
  }

  /** Every replica's prepared answers and every client's ETag become stale with this. */
  async bumpVersion(manager: EntityManager): Promise<void> {
    await manager.query(
      `INSERT INTO public_data_version (id, version, changed_at) VALUES (1, 1, now())
       ON CONFLICT (id) DO UPDATE SET version = public_data_version.version + 1, changed_at = now()`,
    );
  }

  async applyCellDeltas(manager: EntityManager, given: readonly CellCount[]): Promise<void> {
    const deltas = summedPerCell(given);
    if (deltas.length === 0) return;
    await manager.query(
      `INSERT INTO map_cells (zoom, cell_x, cell_y, markers, registered, sum_lat, sum_lon)
       SELECT * FROM unnest($1::smallint[], $2::int[], $3::int[], $4::int[], $5::int[], $6::float8[], $7::float8[])
       ON CONFLICT (zoom, cell_x, cell_y) DO UPDATE SET
         markers = map_cells.markers + EXCLUDED.markers, registered = map_cells.registered + EXCLUDED.registered,
         sum_lat = map_cells.sum_lat + EXCLUDED.sum_lat, sum_lon = map_cells.sum_lon + EXCLUDED.sum_lon`,
      [
        deltas.map((d) => d.zoom),
        deltas.map((d) => d.x),
        deltas.map((d) => d.y),
        deltas.map((d) => d.markers),
        deltas.map((d) => d.registered),
        deltas.map((d) => d.sumLat),
        deltas.map((d) => d.sumLon),
      ],
    );
    await manager.query('DELETE FROM map_cells WHERE markers <= 0 AND (zoom, cell_x, cell_y) IN (SELECT * FROM unnest($1::smallint[], $2::int[], $3::int[]))', [
      deltas.map((d) => d.zoom),
      deltas.map((d) => d.x),
      deltas.map((d) => d.y),
    ]);
  }

  async replaceCells(manager: EntityManager, cells: readonly CellCount[]): Promise<void> {
    await manager.query('DELETE FROM map_cells');
    for (let start = 0; start < cells.length; start += WRITE_BATCH) await this.applyCellDeltas(manager, cells.slice(start, start + WRITE_BATCH));
  }

  cellsIn(manager: EntityManager, zoom: number, x: { from: number; to: number }, y: { from: number; to: number }): Promise<(CellCount & { zoom: number })[]> {
    return manager.query(
      `SELECT zoom, cell_x AS x, cell_y AS y, markers, registered, sum_lat AS "sumLat", sum_lon AS "sumLon" FROM map_cells
       WHERE zoom = $1 AND cell_x BETWEEN $2 AND $3 AND cell_y BETWEEN $4 AND $5 ORDER BY cell_y, cell_x`,
      [zoom, x.from, x.to, y.from, y.to],
    );
  }

  /** At most `limit` markers whose public position lies in the box (limit + 1 tells the caller there are more). */
  markersIn(manager: EntityManager, box: LatLonBox, limit: number): Promise<Marker[]> {
    return manager.query<Marker[]>(
      `SELECT public_lat, public_lon, registered FROM community_buildings
       WHERE public_lat BETWEEN $1 AND $2 AND public_lon BETWEEN $3 AND $4 ORDER BY public_lat, public_lon LIMIT $5`,
      [box.minLat, box.maxLat, box.minLon, box.maxLon, limit],
    );
  }

  allMarkers(manager: EntityManager): Promise<Marker[]> {
    return manager.query<Marker[]>('SELECT public_lat, public_lon, registered FROM community_buildings ORDER BY public_lat, public_lon');
  }

  /** Every community with its members' public positions (the full list: not meant for national scale). */
  publishedCommunities(manager: EntityManager): Promise<PublishedCommunityRow[]> {
    return manager.query<PublishedCommunityRow[]>(
      `SELECT c.id, c.num_members, c.total_consumption_kwh, c.total_pv_kwp, c.autarky_percent, c.hull,
              coalesce(m.members, '[]'::jsonb) AS members,
              coalesce(m.largest_consumption_kwh, 0) AS largest_consumption_kwh, coalesce(m.largest_pv_kwp, 0) AS largest_pv_kwp
       FROM communities c
       LEFT JOIN (SELECT community_id, jsonb_agg(jsonb_build_array(public_lat, public_lon) ORDER BY public_lat, public_lon) AS members,
                         max(annual_consumption_kwh) AS largest_consumption_kwh, max(potential_pv_kwp) AS largest_pv_kwp
                  FROM community_buildings WHERE community_id IS NOT NULL GROUP BY community_id) m ON m.community_id = c.id`,
    );
  }
}
