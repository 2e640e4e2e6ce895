import { BadRequestException, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { compareIds } from '../engine/community-id';
import { communityPolygon } from '../engine/polygon';
import { PublicMapStore } from '../store/public-map.store';
import { CommunitiesDto, CommunityDto, MapBuildingDto, MapBuildingsDto, MapViewportDto } from './dto/public.dto';
import { cellSizeDeg, cellZoomFor, Marker, MARKER_MIN_ZOOM, parseViewport, Viewport } from './map-grid';
import { prepare, PreparedResponse, VersionedResponse } from './prepared-response';
import { publicFigures } from './public-figures';

/** More markers than this in a viewport are answered as cell counts, whatever the zoom. */
export const MAX_MARKERS_PER_VIEWPORT = 5000;
/** Prepared answers kept per replica (the whole lists and the most recent viewports). */
const CACHE_SIZE = 200;

function byPublishedRank(a: CommunityDto, b: CommunityDto): number {
  return (b.autarky_percent ?? -1) - (a.autarky_percent ?? -1) || b.num_members - a.num_members || compareIds(a.community_id, b.community_id);
}

const markerDto = (marker: Marker): MapBuildingDto => ({ lat: marker.public_lat, lon: marker.public_lon, type: marker.registered ? 'registered' : 'anonymous' });


/**
 * What the public sees of the registrations: the markers (public positions), the candidate
 * communities, and the map by viewport. A change anywhere bumps one version row that every replica
 * reads, so telling a client its copy is current (304) costs that one read; an answer is prepared
 * (JSON, gzip) once per version and kept in memory.
 */
@Injectable()
export class PublicMapService {
  private readonly cache = new Map<string, Promise<PreparedResponse>>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly map: PublicMapStore,
  ) {}

  /** Every marker (the previous page's list; not meant for national scale: use the viewport). */
  async buildings(): Promise<VersionedResponse> {
    const version = await this.map.version(this.dataSource.manager);
    return this.answer(`buildings:${version}`, async () => this.mapBuildings());
  }

  async mapBuildings(): Promise<MapBuildingsDto> {
    return { buildings: (await this.map.allMarkers(this.dataSource.manager)).map(markerDto) };
  }

  async communities(): Promise<VersionedResponse> {
    const version = await this.map.version(this.dataSource.manager);
    return this.answer(`communities:${version}`, () => this.publishedCommunities());
  }

  /** The ranked list with coarse figures and public positions only. */
  async publishedCommunities(): Promise<CommunitiesDto> {
    const rows = await this.map.publishedCommunities(this.dataSource.manager);
    const published = rows.map(
      (row): CommunityDto => ({
        community_id: row.id,
        num_members: row.num_members,
        ...publicFigures(
          row.num_members,
          { annual_consumption_kwh: row.total_consumption_kwh, potential_pv_kwp: row.total_pv_kwp },
          { annual_consumption_kwh: row.largest_consumption_kwh, potential_pv_kwp: row.largest_pv_kwp },
        ),
        members: row.members.map(([lat, lon]) => ({ lat, lon })),
        polygon: communityPolygon(row.hull.map(([lat, lon]) => ({ lat, lon }))),
      }),
    );
    return { clusters: published.sort(byPublishedRank) };
  }

  /** The markers or cell counts of a viewport; a bad box or zoom is a 400 naming the problem. */
  async viewport(bbox: string, zoom: number): Promise<VersionedResponse> {
    const viewport = parseViewport(bbox, zoom);
    if (typeof viewport === 'string') throw new BadRequestException(viewport);
    const version = await this.map.version(this.dataSource.manager);
    const key = `viewport:${version}:${viewport.zoom}:${viewport.minLon},${viewport.minLat},${viewport.maxLon},${viewport.maxLat}`;
    return this.answer(key, () => this.viewportBody(viewport));
  }

  private async viewportBody(viewport: Viewport): Promise<MapViewportDto> {
    const manager = this.dataSource.manager;
    const box = { minLat: viewport.minLat, maxLat: viewport.maxLat, minLon: viewport.minLon, maxLon: viewport.maxLon };
    if (viewport.zoom >= MARKER_MIN_ZOOM) {
      const markers = await this.map.markersIn(manager, box, MAX_MARKERS_PER_VIEWPORT + 1);
      if (markers.length <= MAX_MARKERS_PER_VIEWPORT) return { zoom: viewport.zoom, kind: 'markers', markers: markers.map(markerDto) };
    }
    const cellZoom = cellZoomFor(viewport.zoom);
    const size = cellSizeDeg(cellZoom);
    const range = (min: number, max: number, offset: number) => ({ from: Math.floor((min + offset) / size), to: Math.floor((max + offset) / size) });
    const cells = await this.map.cellsIn(manager, cellZoom, range(viewport.minLon, viewport.maxLon, 180), range(viewport.minLat, viewport.maxLat, 90));
    return {
      zoom: viewport.zoom,
      kind: 'cells',
      cells: cells.map((cell) => ({ lat: cell.sumLat / cell.markers, lon: cell.sumLon / cell.markers, count: cell.markers, registered: cell.registered })),
    };
  }

  /** The ETag of a version's answer, and a way to prepare it (once per replica and version). */
  private answer(key: string, body: () => Promise<unknown>): VersionedResponse {
    const etag = `"${createHash('sha256').update(key).digest('base64url').slice(0, 27)}"`;
    return {
      etag,
      prepare: () => {
        const cached = this.cache.get(key);
        if (cached) return cached;
        const prepared = body().then((value) => prepare(etag, value));
        prepared.catch(() => this.cache.delete(key));
        this.cache.set(key, prepared);
        if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
        return prepared;
      },
    };
  }
}
