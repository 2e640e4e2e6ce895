import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One row per scheduled tick of a job that must run once per tick across all replicas. */
@Entity({ name: 'job_runs' })
export class JobRun {
  @PrimaryColumn({ type: 'varchar', length: 60 })
  job!: string;

  @PrimaryColumn({ type: 'timestamptz' })
  tick!: Date;

  @Column({ name: 'started_at', type: 'timestamptz', default: () => 'now()' })
  startedAt!: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  outcome!: string | null;
}
