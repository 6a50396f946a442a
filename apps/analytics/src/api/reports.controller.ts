import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  AnalyticsRpc,
  DateRangeRequest,
  IngestionStatsRequest,
  RevenueRequest,
  TopProductsRequest,
  UserActivityRequest,
  type DailyActiveUsersReport,
  type FunnelReport,
  type IngestionStats,
  type RevenueReport,
  type TopProductsReport,
  type UserActivity,
} from '@polystore/contracts';
import { RpcHandler } from '@polystore/platform';
import { ReportsService } from './reports.service.js';

/** Report RPCs. Who may ask (admin, or the user for their own activity) is the gateway's check. */
@Controller()
export class ReportsController {
  constructor(@Inject(ReportsService) private readonly reports: ReportsService) {}

  @RpcHandler(AnalyticsRpc.revenue)
  revenue(@Payload() request: RevenueRequest): Promise<RevenueReport> {
    return this.reports.revenue(request);
  }

  @RpcHandler(AnalyticsRpc.topProducts)
  topProducts(@Payload() request: TopProductsRequest): Promise<TopProductsReport> {
    return this.reports.topProducts(request);
  }

  @RpcHandler(AnalyticsRpc.funnel)
  funnel(@Payload() request: DateRangeRequest): Promise<FunnelReport> {
    return this.reports.funnel(request);
  }

  @RpcHandler(AnalyticsRpc.dailyActiveUsers)
  dailyActiveUsers(@Payload() request: DateRangeRequest): Promise<DailyActiveUsersReport> {
    return this.reports.dailyActiveUsers(request);
  }

  @RpcHandler(AnalyticsRpc.userActivity)
  userActivity(@Payload() request: UserActivityRequest): Promise<UserActivity> {
    return this.reports.userActivity(request);
  }

  @RpcHandler(AnalyticsRpc.ingestionStats)
  ingestionStats(@Payload() _request: IngestionStatsRequest): Promise<IngestionStats> {
    return this.reports.ingestionStats();
  }
}
