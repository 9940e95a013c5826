import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AggregateRepository, EventStoreModule } from '@nest-event-store/core';
import { RequirementStatusBoardEntity } from './board/requirement-status-board.entity';
import { RequirementStatusBoardProjection } from './board/requirement-status-board.projection';
import { RequirementStatusBoardReader } from './board/requirement-status-board.reader';
import { Release } from './domain/release.aggregate';
import { Requirement } from './domain/requirement.aggregate';
import { RequirementApprovedV1ToV2, RequirementApprovedV2ToV3 } from './domain/requirement-approved.upcasters';
import { ReleasesController } from './releases.controller';
import { RequirementsController } from './requirements.controller';

/**
 * The reference domain: requirements and releases as event-sourced
 * aggregates, the RequirementApproved upcasters (v1 → v2 → v3), and the
 * status board projection, which reads and writes its table through a
 * TypeORM repository. The table comes from requirementsMigrations(), which
 * the app passes to EventStoreModule (`schemaMigrations`).
 */
@Module({
  imports: [
    EventStoreModule.forFeature({ upcasters: [RequirementApprovedV1ToV2, RequirementApprovedV2ToV3] }),
    TypeOrmModule.forFeature([RequirementStatusBoardEntity]),
  ],
  controllers: [RequirementsController, ReleasesController],
  providers: [
    AggregateRepository.provide(Requirement, { snapshotEvery: 20 }),
    AggregateRepository.provide(Release),
    RequirementStatusBoardProjection,
    RequirementStatusBoardReader,
  ],
})
export class RequirementsModule {}
