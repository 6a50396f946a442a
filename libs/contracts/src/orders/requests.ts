import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Matches, Max, Min } from 'class-validator';

export const ORDER_STATUSES = ['placed', 'cancelling', 'cancelled'] as const;
export type OrderStatusName = (typeof ORDER_STATUSES)[number];
export const MAX_MY_ORDERS_PAGE = 100;
export const DEFAULT_MY_ORDERS_PAGE = 20;
/** An admin page may hold up to users.getMany's batch (one request per page when composing). */
export const MAX_ADMIN_ORDERS_PAGE = 1000;
export const DEFAULT_ADMIN_ORDERS_PAGE = 50;
export const ADMIN_ORDERS_VIA = ['read-model', 'composition'] as const;
export type AdminOrdersVia = (typeof ADMIN_ORDERS_VIA)[number];

/** Opaque page cursors: short, URL-safe. */
const CURSOR = /^[A-Za-z0-9_-]{1,200}$/;
const DAY = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;
/** Query strings arrive as text: a whole number is converted only when it is exactly that. */
const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^-?\d{1,6}$/.test(value) ? Number(value) : value);

/** A page of the caller's orders, newest first. */
export class MyOrdersQuery {
  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @Matches(CURSOR, { message: 'cursor must be a cursor returned by a previous page' })
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_MY_ORDERS_PAGE, default: DEFAULT_MY_ORDERS_PAGE })
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1)
  @Max(MAX_MY_ORDERS_PAGE)
  limit?: number;
}

export class ListMyOrdersRequest extends MyOrdersQuery {
  @ApiProperty({ format: 'uuid' }) @IsUUID() userId!: string;
}

/** One order of one user: someone else's order is not found. */
export class UserOrderRequest {
  @ApiProperty({ format: 'uuid' }) @IsUUID() userId!: string;
  @ApiProperty({ format: 'uuid' }) @IsUUID() orderId!: string;
}

/** Orders of every customer, newest first, optionally within whole UTC days and of one status. */
export class AdminOrdersFilter {
  @ApiPropertyOptional({ example: '2026-11-01', format: 'date', description: 'First day (UTC), YYYY-MM-DD' })
  @IsOptional()
  @Matches(DAY, { message: 'from must be a date as YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'from must be a date as YYYY-MM-DD' })
  from?: string;

  @ApiPropertyOptional({ example: '2026-11-30', format: 'date', description: 'Last day (UTC), included, YYYY-MM-DD' })
  @IsOptional()
  @Matches(DAY, { message: 'to must be a date as YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'to must be a date as YYYY-MM-DD' })
  to?: string;

  @ApiPropertyOptional({ enum: ORDER_STATUSES })
  @IsOptional()
  @IsIn(ORDER_STATUSES, { message: `status must be one of: ${ORDER_STATUSES.join(', ')}` })
  status?: OrderStatusName;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @Matches(CURSOR, { message: 'cursor must be a cursor returned by a previous page' })
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_ADMIN_ORDERS_PAGE, default: DEFAULT_ADMIN_ORDERS_PAGE })
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1)
  @Max(MAX_ADMIN_ORDERS_PAGE)
  limit?: number;
}

export class AdminListOrdersRequest extends AdminOrdersFilter {
  @ApiPropertyOptional({ default: true, description: "Add each customer's name and email from orders' read model (fed by users' events)" })
  @IsOptional()
  @IsBoolean()
  withCustomers?: boolean;
}

/** GET /admin/orders: the filter, and how the customers are joined. */
export class AdminOrdersQuery extends AdminOrdersFilter {
  @ApiPropertyOptional({
    enum: ADMIN_ORDERS_VIA,
    default: 'read-model',
    description:
      "read-model: orders' own copy of customer names (fed by users' events; as fresh as the last event). composition: the gateway asks users for them in one batch (fresh; degrades to null customers when users is away)",
  })
  @IsOptional()
  @IsIn(ADMIN_ORDERS_VIA, { message: `via must be one of: ${ADMIN_ORDERS_VIA.join(', ')}` })
  via?: AdminOrdersVia;
}
