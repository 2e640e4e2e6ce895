import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * How many public markers lie in a cell of the map grid at one zoom level, and the sum of their
 * positions (their centroid is where the count is drawn). Kept up to date per change, so a
 * country-wide view reads a few hundred cells instead of every marker.
 */
@Entity({ name: 'map_cells' })
export class MapCell {
  @PrimaryColumn({ type: 'smallint' })
  zoom!: number;

  @PrimaryColumn({ name: 'cell_x', type: 'integer' })
  cellX!: number;

  @PrimaryColumn({ name: 'cell_y', type: 'integer' })
  cellY!: number;

  @Column({ type: 'integer' })
  markers!: number;

  @Column({ type: 'integer' })
  registered!: number;

  @Column({ name: 'sum_lat', type: 'double precision' })
  sumLat!: number;

  @Column({ name: 'sum_lon', type: 'double precision' })
  sumLon!: number;
}
