import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';
import { DatabaseTarget } from './database-target';
import { runMigrationsExclusively } from './migration-lock';

export const DATABASE_TARGET = Symbol('DATABASE_TARGET');

@Module({})
export class DatabaseModule {
  /** Connects to an already opened database (server or embedded) and brings its schema up to date. */
  static forTarget(target: DatabaseTarget, runMigrations: boolean): DynamicModule {
    return {
      module: DatabaseModule,
      global: true,
      imports: [
        TypeOrmModule.forRootAsync({
          // The app takes the entities its feature modules register, not the CLI's file search.
          useFactory: () => ({ ...dataSourceOptions(target, false), entities: [], autoLoadEntities: true }),
          dataSourceFactory: async (options) => {
            const dataSource = await new DataSource(options!).initialize();
            if (runMigrations) await runMigrationsExclusively(dataSource, target.mode);
            return dataSource;
          },
        }),
      ],
      providers: [{ provide: DATABASE_TARGET, useValue: target }],
      exports: [DATABASE_TARGET],
    };
  }
}
