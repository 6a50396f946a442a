import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, type Caller } from '../auth/jwt-auth.guard.js';
import { ApiErrors } from '../http/openapi.js';
import { MeOverview } from './overview.js';
import { OverviewService } from './overview.service.js';

@ApiTags('me')
@Controller('me')
export class MeController {
  constructor(@Inject(OverviewService) private readonly overviews: OverviewService) {}

  @Get('overview')
  @ApiOkResponse({
    type: MeOverview,
    description: 'Complete, or with the optional sections that did not answer in time left out (null) and named in `degraded`',
  })
  @ApiErrors(
    [404, 'the token’s user no longer exists'],
    [503, 'the profile or the wallet (users) did not answer in time; Retry-After says when to try again'],
  )
  overview(@CurrentCaller() caller: Caller): Promise<MeOverview> {
    return this.overviews.overview(caller.id);
  }
}
