import { MigrationInterface, QueryRunner } from 'typeorm';

/** Bookkeeping for jobs that must run once per tick across replicas (token purge). */
export class JobRuns1795750000000 implements MigrationInterface {
  name = 'JobRuns1795750000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "job_runs" ("job" character varying(60) NOT NULL, "tick" TIMESTAMP WITH TIME ZONE NOT NULL, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "finished_at" TIMESTAMP WITH TIME ZONE, "outcome" character varying(200), CONSTRAINT "PK_job_runs" PRIMARY KEY ("job", "tick"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "job_runs"`);
  }
}
