import { ClusteringRow } from '../common/building-record.store';
import { EngineBuilding } from './engine/communities';

export type RecordType = 'registered' | 'anonymous';

/** A record as the engine sees it, with what notifications and the map need on top. */
export type SourceBuilding = EngineBuilding & { verified: boolean; type: RecordType };

export function toSourceBuildings(registered: ClusteringRow[], anonymous: ClusteringRow[]): SourceBuilding[] {
  return [
    ...registered.map((row): SourceBuilding => ({ ...row, type: 'registered' })),
    ...anonymous.map((row): SourceBuilding => ({ ...row, type: 'anonymous' })),
  ];
}
