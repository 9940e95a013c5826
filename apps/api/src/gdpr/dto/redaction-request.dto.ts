import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

/** Body of POST /events/:eventId/redaction. */
export class RedactionRequestDto {
  @ApiProperty({ example: 'GDPR art. 17 request #1234', maxLength: 1000 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason!: string;
}
