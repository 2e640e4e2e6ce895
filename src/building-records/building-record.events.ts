/**
 * Emitted after the transaction that caused them has committed. The communities module listens to
 * recompute communities and notify confirmed neighbours.
 */
export const BuildingEvents = {
  registered: 'building.registered',
  confirmed: 'building.confirmed',
  deleted: 'building.deleted',
} as const;

export type BuildingEvent = { buildingId: string };
