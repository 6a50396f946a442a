import { Inject, Injectable } from '@nestjs/common';
import type {
  DailyActiveUsersReport,
  DateRangeRequest,
  FunnelReport,
  IngestionStats,
  RevenueReport,
  RevenueRequest,
  TopProductsReport,
  TopProductsRequest,
  UserActivity,
  UserActivityRequest,
} from '@polystore/contracts';
import { eachDay, funnel } from '../domain/reports.js';
import { ReportsStore } from '../store/reports.store.js';

/** Reports over the ingested events; ranges are validated by the request contracts. */
@Injectable()
export class ReportsService {
  constructor(@Inject(ReportsStore) private readonly reports: ReportsStore) {}

  async revenue({ by, from, to }: RevenueRequest): Promise<RevenueReport> {
    return { by, from, to, rows: await this.reports.revenue(by, from, to) };
  }

  async topProducts({ by, from, to, limit }: TopProductsRequest): Promise<TopProductsReport> {
    return { by, from, to, rows: await this.reports.topProducts(by, from, to, limit ?? 10) };
  }

  async funnel({ from, to }: DateRangeRequest): Promise<FunnelReport> {
    return { from, to, ...funnel(from, to, await this.reports.funnelCounts(from, to)) };
  }

  async dailyActiveUsers({ from, to }: DateRangeRequest): Promise<DailyActiveUsersReport> {
    const users = await this.reports.dailyActiveUsers(from, to);
    return { from, to, days: eachDay(from, to).map((day) => ({ day, users: users.get(day) ?? 0 })) };
  }

  async userActivity({ userId, limit }: UserActivityRequest): Promise<UserActivity> {
    return { userId, items: await this.reports.userActivity(userId.toLowerCase(), limit ?? 50) };
  }

  ingestionStats(): Promise<IngestionStats> {
    return this.reports.ingestionStats();
  }
}
