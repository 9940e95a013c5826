import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { errorBody } from '../common/filters/error-body';
import { DomainRuleViolationError } from './domain/domain-rule-violation.error';

/**
 * Answers a broken domain rule with 409 `{ statusCode, error: 'DomainRuleViolation', message, code, rule }`:
 * the request was valid, the aggregate's state does not allow it. Scoped to
 * the domain's controllers; everything else reaches the app's global filter.
 */
@Catch(DomainRuleViolationError)
export class DomainRuleViolationFilter implements ExceptionFilter {
  catch(error: DomainRuleViolationError, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    response.status(409).json(errorBody(409, error.message, { error: 'DomainRuleViolation', code: error.code, rule: error.rule }));
  }
}
