import { ownVacuumReason } from './vacuum-policy';

describe(ownVacuumReason.name, () => {
  it('vacuums the embedded database, whose autovacuum setting has no worker behind it', () => {
    expect(ownVacuumReason('embedded', 'on')).toBe('the embedded database has no autovacuum');
    expect(ownVacuumReason('embedded', 'off')).toBe('the embedded database has no autovacuum');
  });

  it('leaves a server with autovacuum to PostgreSQL', () => {
    expect(ownVacuumReason('server', 'on')).toBeUndefined();
  });

  it('vacuums a server whose autovacuum is off', () => {
    expect(ownVacuumReason('server', 'off')).toBe('autovacuum is off on this PostgreSQL server');
  });
});
