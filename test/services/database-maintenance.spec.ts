import { SchedulerRegistry } from '@nestjs/schedule';
import { DatabaseMaintenanceService, VACUUM_JOB } from '../../src/maintenance/database-maintenance.service';
import { MaintenanceModule } from '../../src/maintenance/maintenance.module';
import { ownVacuumReason } from '../../src/maintenance/vacuum-policy';
import { ServiceContext, startServiceContext } from '../helpers/service-context';
import { availableModes } from '../helpers/test-database';

describe.each(availableModes())(`${DatabaseMaintenanceService.name} on the %s database`, (mode) => {
  let context: ServiceContext;

  beforeAll(async () => {
    context = await startServiceContext([MaintenanceModule], {}, mode);
  });

  afterAll(async () => {
    await context.close();
  });

  async function probeBytes(): Promise<number> {
    const [{ bytes }] = await context.dataSource.query<{ bytes: number }[]>("SELECT pg_total_relation_size('vacuum_probe')::int AS bytes");
    return bytes;
  }

  async function fillProbe(): Promise<void> {
    await context.dataSource.query("INSERT INTO vacuum_probe SELECT g, repeat('x', 200) FROM generate_series(1, 20000) g");
  }

  it('gives the space of deleted rows back, so that a table whose rows come and go stops growing', async () => {
    await context.dataSource.query('CREATE TABLE vacuum_probe (id int PRIMARY KEY, filler text)');
    await fillProbe();
    const filled = await probeBytes();
    await context.dataSource.query('DELETE FROM vacuum_probe');

    expect(await context.app.get(DatabaseMaintenanceService).vacuumNow()).toEqual({ ran: true, ms: expect.any(Number) });
    await fillProbe();

    // Without the vacuum the new rows go after the dead ones: twice the size.
    expect(await probeBytes()).toBeLessThan(filled * 1.2);
  });

  it('schedules itself only where PostgreSQL does not vacuum', async () => {
    const [{ autovacuum }] = await context.dataSource.query<{ autovacuum: string }[]>('SHOW autovacuum');
    const expected = ownVacuumReason(mode, autovacuum) !== undefined;
    if (mode === 'embedded') expect(expected).toBe(true);

    expect(context.app.get(SchedulerRegistry).doesExist('cron', VACUUM_JOB)).toBe(expected);
  });

  it('schedules nothing with DATABASE_VACUUM_CRON=off', async () => {
    const switchedOff = await startServiceContext([MaintenanceModule], { DATABASE_VACUUM_CRON: 'off' }, mode);
    try {
      expect(switchedOff.app.get(SchedulerRegistry).doesExist('cron', VACUUM_JOB)).toBe(false);
    } finally {
      await switchedOff.close();
    }
  });
});
