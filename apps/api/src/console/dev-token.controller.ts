import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/auth/public.decorator';
import { signToken } from '../common/auth/sign-token';
import { ApiErrorResponses } from '../common/http/api-error-responses.decorator';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.module';
import { DevTokenDto, DevTokenRequestDto } from './dto/dev-token.dto';

/**
 * Mints a token for the console's "development sign-in" button, like
 * `npm run token`. Registered only when `NODE_ENV` is not `production`
 * (ConsoleModule): in production the route does not exist at all (404).
 */
@ApiTags('console')
@Controller('console')
export class DevTokenController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Post('dev-token')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Development only (absent with NODE_ENV=production): a one-hour token for any tenant and roles' })
  @ApiOkResponse({ type: DevTokenDto })
  @ApiErrorResponses(400)
  mint(@Body() body: DevTokenRequestDto): DevTokenDto {
    return { token: signToken({ secret: this.config.jwtSecret, tenantId: body.tenantId, roles: body.roles, sub: body.sub ?? 'dev' }) };
  }
}
