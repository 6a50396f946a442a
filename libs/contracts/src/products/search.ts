import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { Trimmed } from '../validation.js';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Max, MaxLength, Min } from 'class-validator';
import { IsSuggestable, MAX_PRICE_CENTS } from './requests.js';
import { Product } from './replies.js';

/** Query strings arrive as text: whole numbers and booleans are converted only when they are exactly that. */
const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^-?\d{1,12}$/.test(value) ? Number(value) : value);
const toBool = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export const PRODUCT_SORTS = ['relevance', 'price_asc', 'price_desc', 'newest'] as const;
export type ProductSort = (typeof PRODUCT_SORTS)[number];
export const MAX_QUERY_LENGTH = 200;

export class SearchProductsRequest {
  @ApiPropertyOptional({ description: 'Full text over name, brand and description (stemming, typo tolerance)', maxLength: MAX_QUERY_LENGTH })
  @IsOptional()
  @Trimmed()
  @IsString()
  @MaxLength(MAX_QUERY_LENGTH, { message: `q must be at most ${MAX_QUERY_LENGTH} characters` })
  q?: string;

  @ApiPropertyOptional({ example: 'shoes' })
  @IsOptional()
  @IsString()
  @Length(1, 50)
  category?: string;

  @ApiPropertyOptional({ example: 'Acme' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  brand?: string;

  @ApiPropertyOptional({ description: 'In cents, inclusive' })
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'minPrice must be a whole number of cents' })
  @Min(0)
  @Max(MAX_PRICE_CENTS)
  minPrice?: number;

  @ApiPropertyOptional({ description: 'In cents, inclusive' })
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'maxPrice must be a whole number of cents' })
  @Min(0)
  @Max(MAX_PRICE_CENTS)
  maxPrice?: number;

  @ApiPropertyOptional({ description: 'Only products with stock available' })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean({ message: 'inStock must be true or false' })
  inStock?: boolean;

  @ApiPropertyOptional({ enum: PRODUCT_SORTS, default: 'relevance' })
  @IsOptional()
  @IsIn(PRODUCT_SORTS, { message: `sort must be one of ${PRODUCT_SORTS.join(', ')}` })
  sort?: ProductSort;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  cursor?: string;

  @ApiPropertyOptional({ default: 20, minimum: 1, maximum: 100 })
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}

export class SuggestProductsRequest {
  @ApiProperty({ example: 'trai', minLength: 1, maxLength: 50 })
  @Trimmed()
  @IsString()
  @Length(1, 50)
  @IsSuggestable('q')
  q!: string;

  @ApiPropertyOptional({ default: 8, minimum: 1, maximum: 20 })
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(20)
  limit?: number;
}

export class FacetCount {
  @ApiProperty() value!: string;
  @ApiProperty() count!: number;
}

export class PriceBucket {
  @ApiProperty({ example: '50-100' }) key!: string;
  @ApiPropertyOptional({ description: 'cents, inclusive' }) from?: number;
  @ApiPropertyOptional({ description: 'cents, exclusive' }) to?: number;
  @ApiProperty() count!: number;
}

export class ProductFacets {
  @ApiProperty({ type: [FacetCount] }) brands!: FacetCount[];
  @ApiProperty({ type: [FacetCount] }) categories!: FacetCount[];
  @ApiProperty({ type: [PriceBucket] }) prices!: PriceBucket[];
}

export class ProductSearchPage {
  @ApiProperty({ type: [Product] }) items!: Product[];
  @ApiProperty({ description: 'Exact up to 10,000; beyond that totalRelation is "gte"' }) total!: number;
  @ApiProperty({ enum: ['eq', 'gte'] }) totalRelation!: 'eq' | 'gte';
  @ApiPropertyOptional({ type: ProductFacets, description: 'On the first page only (facets do not change between pages)' }) facets?: ProductFacets;
  @ApiPropertyOptional({ description: 'Pass as cursor for the next page; absent on the last page' }) nextCursor?: string;
}

export class ProductSuggestions {
  @ApiProperty({ type: [String] }) names!: string[];
}
