import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  AnalyticsSubjects,
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
import { ReportsService } from './reports.service.js';

/** Report RPCs. Who may ask (admin, or the user for their own activity) is the gateway's check. */
@Controller()
export class ReportsController {
  constructor(@Inject(ReportsService) private readonly reports: ReportsService) {}

  @MessagePattern(AnalyticsSubjects.revenue)
  revenue(@Payload() request: RevenueRequest): Promise<RevenueReport> {
    return this.reports.revenue(request);
  }

  @MessagePattern(AnalyticsSubjects.topProducts)
  topProducts(@Payload() request: TopProductsRequest): Promise<TopProductsReport> {
    return this.reports.topProducts(request);
  }

  @MessagePattern(AnalyticsSubjects.funnel)
  funnel(@Payload() request: DateRangeRequest): Promise<FunnelReport> {
    return this.reports.funnel(request);
  }

  @MessagePattern(AnalyticsSubjects.dailyActiveUsers)
  dailyActiveUsers(@Payload() request: DateRangeRequest): Promise<DailyActiveUsersReport> {
    return this.reports.dailyActiveUsers(request);
  }

  @MessagePattern(AnalyticsSubjects.userActivity)
  userActivity(@Payload() request: UserActivityRequest): Promise<UserActivity> {
    return this.reports.userActivity(request);
  }

  @MessagePattern(AnalyticsSubjects.ingestionStats)
  ingestionStats(@Payload() _request: IngestionStatsRequest): Promise<IngestionStats> {
    return this.reports.ingestionStats();
  }
}
