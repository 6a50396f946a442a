import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsUUID, Matches, Max, Min, registerDecorator, type ValidationArguments } from 'class-validator';

/** Longest range a report covers, in days (both ends included): a leap year. */
export const MAX_REPORT_DAYS = 366;
export const MAX_TOP_PRODUCTS = 100;
export const MAX_ACTIVITY_ITEMS = 200;

export const REVENUE_DIMENSIONS = ['day', 'category'] as const;
export type RevenueDimension = (typeof REVENUE_DIMENSIONS)[number];
export const TOP_PRODUCT_METRICS = ['views', 'units', 'revenue'] as const;
export type TopProductMetric = (typeof TOP_PRODUCT_METRICS)[number];

/** Query strings arrive as text: a whole number is converted only when it is exactly that. */
const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^-?\d{1,9}$/.test(value) ? Number(value) : value);

const DAY_MS = 24 * 3600_000;
const isDay = (value: unknown): value is string =>
  typeof value === 'string' && /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));

/** Days from `from` to `to`, both included (0 or less when reversed). */
export function daysInRange(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;
}

/** On `to`: not before `from`, and the range at most MAX_REPORT_DAYS long. */
function IsRangeEndAfter(startField: string) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isRangeEnd',
      target: target.constructor,
      propertyName,
      validator: {
        validate(value: unknown, args: ValidationArguments) {
          const start = (args.object as Record<string, unknown>)[startField];
          if (!isDay(value) || !isDay(start)) return true; // the format checks report those
          const days = daysInRange(start, value);
          return days >= 1 && days <= MAX_REPORT_DAYS;
        },
        defaultMessage(args: ValidationArguments) {
          const start = (args.object as Record<string, unknown>)[startField] as string;
          return daysInRange(start, args.value as string) < 1
            ? `${args.property} must not be before ${startField}`
            : `${args.property} must be at most ${MAX_REPORT_DAYS - 1} days after ${startField} (a report covers at most ${MAX_REPORT_DAYS} days)`;
        },
      },
    });
}

const DAY_FORMAT = { message: (field: string) => `${field} must be a date as YYYY-MM-DD` };

/** A range of whole UTC days, both ends included. */
export class DateRangeRequest {
  @ApiProperty({ example: '2026-11-01', format: 'date', description: 'First day (UTC), YYYY-MM-DD' })
  @Matches(/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/, { message: DAY_FORMAT.message('from') })
  @IsISO8601({ strict: true }, { message: DAY_FORMAT.message('from') })
  from!: string;

  @ApiProperty({ example: '2026-11-30', format: 'date', description: `Last day (UTC), included; at most ${MAX_REPORT_DAYS} days from \`from\`` })
  @Matches(/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/, { message: DAY_FORMAT.message('to') })
  @IsISO8601({ strict: true }, { message: DAY_FORMAT.message('to') })
  @IsRangeEndAfter('from')
  to!: string;
}

export class RevenueRequest extends DateRangeRequest {
  @ApiProperty({ enum: REVENUE_DIMENSIONS, description: 'day: per day and currency; category: per product category and currency' })
  @IsIn(REVENUE_DIMENSIONS, { message: `by must be one of: ${REVENUE_DIMENSIONS.join(', ')}` })
  by!: RevenueDimension;
}

export class TopProductsRequest extends DateRangeRequest {
  @ApiProperty({ enum: TOP_PRODUCT_METRICS, description: 'views: product pages served; units: units sold; revenue: cents sold (per currency)' })
  @IsIn(TOP_PRODUCT_METRICS, { message: `by must be one of: ${TOP_PRODUCT_METRICS.join(', ')}` })
  by!: TopProductMetric;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_TOP_PRODUCTS, default: 10 })
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1)
  @Max(MAX_TOP_PRODUCTS)
  limit?: number;
}

/** Query string of the activity routes (the user id comes from the path or the token). */
export class ActivityQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_ACTIVITY_ITEMS, default: 50 })
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1)
  @Max(MAX_ACTIVITY_ITEMS)
  limit?: number;
}

/** The RPC request: the query plus whose activity. */
export class UserActivityRequest extends ActivityQuery {
  @ApiProperty({ format: 'uuid' })
  @IsUUID(undefined, { message: 'userId must be a UUID' })
  userId!: string;
}

/** No parameters. */
export class IngestionStatsRequest {}
