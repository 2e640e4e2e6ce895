import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadEnv } from './src/config/load-env';
import { dataSourceOptions } from './src/database/data-source-options';
import { DatabaseTarget, openDatabase } from './src/database/database-target';

/** Stops the embedded database (if any) together with the DataSource when a CLI command ends. */
class CliDataSource extends DataSource {
  constructor(private readonly target: DatabaseTarget) {
    super(dataSourceOptions(target, false));
  }

  override async destroy(): Promise<void> {
    try {
      await super.destroy();
    } finally {
      await this.target.close();
    }
  }
}

async function createCliDataSource(): Promise<DataSource> {
  const target = await openDatabase(loadEnv());
  process.stderr.write(`Database: ${target.description}\n`);
  return new CliDataSource(target);
}

export const dataSource = createCliDataSource();
