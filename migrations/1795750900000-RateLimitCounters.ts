import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rate-limit counters shared by all replicas (one row per budget and client, keyed by a digest, no
 * address), with an index on their expiry for the sweep.
 */
export class RateLimitCounters1795750900000 implements MigrationInterface {
  name = 'RateLimitCounters1795750900000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "rate_limit_counters" ("key" bytea NOT NULL, "hits" integer NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "blocked_until" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_rate_limit_counters" PRIMARY KEY ("key"))`,
    );
    await queryRunner.query(`CREATE INDEX "idx_rate_limit_counters_expiry" ON "rate_limit_counters" ("expires_at") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."idx_rate_limit_counters_expiry"`);
    await queryRunner.query(`DROP TABLE "rate_limit_counters"`);
  }
}
