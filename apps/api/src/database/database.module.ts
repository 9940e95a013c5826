import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { appDataSourceOptions, createAppDataSource } from './app-data-source';

/**
 * The app's one DataSource (TypeOrmModule), shared by the event store
 * (EventStoreModule option `dataSource`) and the app's read models
 * (`TypeOrmModule.forFeature` repositories): one pool, on the embedded
 * PGlite or on DATABASE_URL. See docs/decisions/0020.
 */
@Module({})
export class DatabaseModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => ({ ...appDataSourceOptions(config), autoLoadEntities: true, toRetry: () => false }),
          dataSourceFactory: (options) => createAppDataSource(options as ReturnType<typeof appDataSourceOptions>, config),
        }),
      ],
    };
  }
}
