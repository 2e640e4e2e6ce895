export class HealthReport {
  /** @example "healthy" */
  status!: 'healthy' | 'unhealthy';

  /** @example "up" */
  db!: 'up' | 'down';

  /** Time of the check (ISO 8601). @example "2026-11-27T10:00:00.000Z" */
  timestamp!: string;

  /** Version of the service. @example "1.0.0" */
  version!: string;
}
