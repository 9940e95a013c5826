import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

/** Body of POST /gdpr/erasure-requests. */
export class ErasureRequestDto {
  @ApiProperty({ example: 'customer-42', description: 'Matched against metadata.subjectId and metadata.subjectIds' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  subjectId!: string;

  @ApiProperty({ example: 'GDPR art. 17 request #1234', maxLength: 1000 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason!: string;
}

/** Response of an erasure request. */
export class ErasureResultDto {
  @ApiProperty() subjectId!: string;
  @ApiProperty({ description: 'Events redacted by this request (already redacted ones are not counted again)' }) redactedEvents!: number;
}
