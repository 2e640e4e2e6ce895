import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/**
 * A closed ring of [lat, lon] pairs. Described by hand: the Swagger plugin takes the tuple type for
 * a circular reference and refuses to start.
 */
export function ApiPolygonProperty(): PropertyDecorator {
  return ApiProperty({
    description: 'Closed ring of [lat, lon] around the jittered member positions',
    type: 'array',
    items: { type: 'array', items: { type: 'number' }, minItems: 2, maxItems: 2 },
    example: [[47.47, 8.3], [47.48, 8.3], [47.48, 8.31], [47.47, 8.3]],
  });
}

/** A position moved by up to ANONYMITY_RADIUS_M, stable per building: never the exact one. */
export class PublicPositionDto {
  /** @example 47.47412 */
  lat!: number;
  /** @example 8.30655 */
  lon!: number;
}

export class MapBuildingDto extends PublicPositionDto {
  /** @example "registered" */
  type!: 'anonymous' | 'registered';
}

export class MapBuildingsDto {
  buildings!: MapBuildingDto[];
}

export class CommunityDto {
  /** Opaque and stable while the community keeps most of its members. @example "c_3f2a9b0c1d2e4f56" */
  community_id!: string;
  /** @example 4 */
  num_members!: number;
  /**
   * Share of the community's demand its own solar production covers, in 5 % steps; null (like the
   * totals) while the community has fewer than 3 members, who could otherwise learn each other's figures. @example 40
   */
  autarky_percent!: number | null;
  /** In 10 MWh steps, or null (see autarky_percent). @example 50 */
  total_consumption_mwh!: number | null;
  /** In 10 MWh steps, or null (see autarky_percent). @example 40 */
  total_production_mwh!: number | null;
  members!: PublicPositionDto[];
  @ApiPolygonProperty()
  polygon!: [number, number][];
}

export class CommunitiesDto {
  /** Ranked by the published autarky, highest first, then by size. */
  clusters!: CommunityDto[];
}

/** A viewport of the map: the box shown and the zoom level (web-map zoom). */
export class MapViewportQueryDto {
  /** `minLon,minLat,maxLon,maxLat` in degrees (WGS 84). Leave out for the whole list. @example "8.28,47.46,8.34,47.49" */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  bbox?: string;

  /** The map's zoom level, 0–20; from 14 on the answer lists markers, below it counts per cell. @example 15 */
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'zoom must be an integer between 0 and 20' })
  @Min(0, { message: 'zoom must be an integer between 0 and 20' })
  @Max(20, { message: 'zoom must be an integer between 0 and 20' })
  zoom?: number;
}

/** A cell of the map grid with the number of markers in it, drawn at their centroid. */
export class MapCellDto {
  /** @example 47.4731 */
  lat!: number;
  /** @example 8.3066 */
  lon!: number;
  /** @example 12 */
  count!: number;
  /** Full registrations among them (the rest are in the interest pool). @example 7 */
  registered!: number;
}

export class MapViewportDto {
  /** @example 15 */
  zoom!: number;
  /** `markers` from zoom 14 on (or while the box holds few enough), otherwise `cells`. @example "markers" */
  kind!: 'markers' | 'cells';
  /** The public (blurred) positions of the registrations in the box, when kind is markers. */
  markers?: MapBuildingDto[];
  /** Counts per grid cell, when kind is cells. */
  cells?: MapCellDto[];
}
