import { rpcSubject } from '../rpc.js';
import type { DailyActiveUsersReport, FunnelReport, IngestionStats, RevenueReport, TopProductsReport, UserActivity } from './replies.js';
import type { DateRangeRequest, IngestionStatsRequest, RevenueRequest, TopProductsRequest, UserActivityRequest } from './requests.js';

/** analytics' request/reply subjects, with their request and reply types. */
export const AnalyticsRpc = {
  revenue: rpcSubject<RevenueRequest, RevenueReport>('analytics.revenue.v1'),
  topProducts: rpcSubject<TopProductsRequest, TopProductsReport>('analytics.top-products.v1'),
  funnel: rpcSubject<DateRangeRequest, FunnelReport>('analytics.funnel.v1'),
  dailyActiveUsers: rpcSubject<DateRangeRequest, DailyActiveUsersReport>('analytics.daily-active-users.v1'),
  userActivity: rpcSubject<UserActivityRequest, UserActivity>('analytics.user-activity.v1'),
  ingestionStats: rpcSubject<IngestionStatsRequest, IngestionStats>('analytics.ingestion-stats.v1'),
} as const;
