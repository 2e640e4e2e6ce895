import { validateEnv } from './env.validation';

describe(validateEnv.name, () => {
  const server = { DATABASE_URL: 'postgresql://leg@db.internal:5432/leg', APP_SECRET: 'x'.repeat(32) };

  it('should use the offline demo directory on the embedded database when ADDRESS_DIRECTORY is unset (a try-out)', () => {
    expect(validateEnv({}).ADDRESS_DIRECTORY).toBe('offline');
    expect(validateEnv({ ADDRESS_DIRECTORY: '' }).ADDRESS_DIRECTORY).toBe('offline');
  });

  it('should use the federal directory with a PostgreSQL server when ADDRESS_DIRECTORY is unset (a deployment)', () => {
    expect(validateEnv(server).ADDRESS_DIRECTORY).toBe('geoadmin');
  });

  it('should keep the directory that is set, whatever the database', () => {
    expect(validateEnv({ ADDRESS_DIRECTORY: 'geoadmin' }).ADDRESS_DIRECTORY).toBe('geoadmin');
    expect(validateEnv({ ...server, ADDRESS_DIRECTORY: 'offline' }).ADDRESS_DIRECTORY).toBe('offline');
  });

  it('should refuse an unknown directory, naming the variable', () => {
    expect(() => validateEnv({ ADDRESS_DIRECTORY: 'google' })).toThrow('ADDRESS_DIRECTORY must be one of: geoadmin, offline');
  });
});
