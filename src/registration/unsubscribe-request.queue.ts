import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { rowsOf } from '../database/query-result';

/** The only code that touches unsubscribe_requests: requests wait here for a moment, never longer than one pass. */
@Injectable()
export class UnsubscribeRequestQueue {
  constructor(private readonly dataSource: DataSource) {}

  /** One constant statement, whoever the address belongs to. */
  async add(email: string): Promise<void> {
    await this.dataSource.query('INSERT INTO unsubscribe_requests (email) VALUES ($1)', [email]);
  }

  /** Takes (deletes) the oldest requests for the caller's transaction; other replicas skip them. */
  async take(manager: EntityManager, limit: number): Promise<string[]> {
    const result: unknown = await manager.query(
      `DELETE FROM unsubscribe_requests WHERE id IN (SELECT id FROM unsubscribe_requests ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED) RETURNING email`,
      [limit],
    );
    return rowsOf<{ email: string }>(result).map((row) => row.email);
  }
}
