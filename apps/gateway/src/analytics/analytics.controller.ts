import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import {
  ActivityQuery,
  AnalyticsRpc,
  DailyActiveUsersReport,
  DateRangeRequest,
  FunnelReport,
  IngestionStats,
  RevenueReport,
  RevenueRequest,
  TopProductsReport,
  TopProductsRequest,
  UserActivity,
} from '@polystore/contracts';
import { RpcClient } from '@polystore/platform';
import { IsUUID } from 'class-validator';
import { CurrentCaller, Roles, type Caller } from '../auth/jwt-auth.guard.js';

class UserIdParam {
  @ApiProperty({ format: 'uuid' })
  @IsUUID(undefined, { message: 'id must be a UUID' })
  id!: string;
}

/** Reports across services, answered by analytics from its ClickHouse. Admins only, except one's own activity. */
@ApiTags('analytics')
@Controller('analytics')
export class AnalyticsController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  @Roles('admin')
  @Get('revenue')
  @ApiOkResponse({ type: RevenueReport })
  revenue(@Query() query: RevenueRequest): Promise<RevenueReport> {
    return this.rpc.send(AnalyticsRpc.revenue, query);
  }

  @Roles('admin')
  @Get('top-products')
  @ApiOkResponse({ type: TopProductsReport })
  topProducts(@Query() query: TopProductsRequest): Promise<TopProductsReport> {
    return this.rpc.send(AnalyticsRpc.topProducts, query);
  }

  @Roles('admin')
  @Get('funnel')
  @ApiOkResponse({ type: FunnelReport })
  funnel(@Query() query: DateRangeRequest): Promise<FunnelReport> {
    return this.rpc.send(AnalyticsRpc.funnel, query);
  }

  @Roles('admin')
  @Get('daily-active-users')
  @ApiOkResponse({ type: DailyActiveUsersReport })
  dailyActiveUsers(@Query() query: DateRangeRequest): Promise<DailyActiveUsersReport> {
    return this.rpc.send(AnalyticsRpc.dailyActiveUsers, query);
  }

  @Roles('admin')
  @Get('ingestion')
  @ApiOkResponse({ type: IngestionStats })
  ingestion(): Promise<IngestionStats> {
    return this.rpc.send(AnalyticsRpc.ingestionStats, {});
  }

  @Roles('admin')
  @Get('users/:id/activity')
  @ApiOkResponse({ type: UserActivity })
  userActivity(@Param() params: UserIdParam, @Query() query: ActivityQuery): Promise<UserActivity> {
    return this.rpc.send(AnalyticsRpc.userActivity, { userId: params.id, ...query });
  }

  /** Any signed-in user, for their own events only (the id comes from the token). */
  @Get('me/activity')
  @ApiOkResponse({ type: UserActivity })
  myActivity(@CurrentCaller() caller: Caller, @Query() query: ActivityQuery): Promise<UserActivity> {
    return this.rpc.send(AnalyticsRpc.userActivity, { userId: caller.id, ...query });
  }
}
