import { Module } from '@nestjs/common';
import { GdprController } from './gdpr.controller';

/** GDPR redaction and erasure endpoints. */
@Module({ controllers: [GdprController] })
export class GdprModule {}
