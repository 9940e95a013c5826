import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { ROLES, Role } from '../../common/auth/role';
import { TENANT_ID_PATTERN } from '@nest-event-store/core';

/** Body of POST /console/dev-token (development only). */
export class DevTokenRequestDto {
  @ApiProperty({ example: 'acme' })
  @IsString()
  @Matches(TENANT_ID_PATTERN, { message: 'tenantId must be 1-64 letters, digits, ".", "_" or "-"' })
  tenantId!: string;

  @ApiProperty({ enum: ROLES, isArray: true, example: ['auditor', 'writer', 'dpo'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(ROLES.length)
  @IsIn(ROLES, { each: true })
  roles!: Role[];

  @ApiPropertyOptional({ example: 'alice', default: 'dev' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  sub?: string;
}

/** Response of POST /console/dev-token. */
export class DevTokenDto {
  @ApiProperty({ description: 'HS256 bearer token, valid for one hour' }) token!: string;
}
