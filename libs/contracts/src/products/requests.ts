import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsObject, IsOptional, IsString, IsUUID, Length, Matches, Max, Min } from 'class-validator';
import { AtLeastOneField, IsNulFree, IsStringMap, IsOmittable, Trimmed } from '../validation.js';

/**
 * Name and brand feed the catalog's completion suggester, which reserves U+0000, U+001E and U+001F
 * (the index refused such a product: a 500 the fuzzer found); so does a suggestion's prefix.
 */
const SUGGESTABLE = /^[^\u0000\u001e\u001f]*$/;
export const IsSuggestable = (field: string): PropertyDecorator =>
  Matches(SUGGESTABLE, { message: `${field} must not contain the control characters U+0000, U+001E or U+001F` });

/** Largest price a product may have: 1 million in currency units. */
export const MAX_PRICE_CENTS = 100_000_000;
export const MAX_STOCK = 1_000_000;

/** The fields of a product that an admin sets. */
export class ProductFields {
  @ApiProperty({ example: 'Trail running shoe', minLength: 1, maxLength: 200 })
  @Trimmed()
  @IsString()
  @Length(1, 200)
  @IsSuggestable('name')
  name!: string;

  @ApiPropertyOptional({ example: 'Light, grippy, waterproof.', maxLength: 5000 })
  @IsOptional()
  @IsString()
  @Length(0, 5000)
  @IsNulFree('description')
  description?: string;

  @ApiProperty({ example: 'Acme', minLength: 1, maxLength: 100 })
  @Trimmed()
  @IsString()
  @Length(1, 100)
  @IsSuggestable('brand')
  brand!: string;

  @ApiProperty({ example: ['shoes', 'running'], type: [String], maxItems: 10 })
  @Trimmed({ each: true })
  @IsArray()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @Length(1, 50, { each: true })
  @IsNulFree('categories', { each: true })
  categories!: string[];

  @ApiProperty({ description: 'Price in integer cents', example: 8900, minimum: 0, maximum: MAX_PRICE_CENTS })
  @IsInt()
  @Min(0)
  @Max(MAX_PRICE_CENTS)
  priceCents!: number;

  @ApiProperty({ example: 'EUR', description: 'ISO 4217 code' })
  @IsString()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be a three-letter ISO 4217 code such as EUR' })
  currency!: string;

  @ApiPropertyOptional({ example: { color: 'red', size: '42' }, description: 'Free key/values (at most 50)' })
  @IsOptional()
  @IsObject()
  @IsStringMap({ maxKeys: 50, maxKeyLength: 50, maxValueLength: 200 })
  attributes?: Record<string, string>;

  @ApiProperty({ example: 25, minimum: 0, maximum: MAX_STOCK })
  @IsInt()
  @Min(0)
  @Max(MAX_STOCK)
  stockOnHand!: number;
}

export class CreateProductRequest extends ProductFields {
  @ApiProperty({ example: 'ACME-TRAIL-42', description: 'Unique; letters, digits, - _ . (case-insensitive); never changes' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toUpperCase() : value))
  @IsString()
  @Matches(/^[A-Z0-9][A-Z0-9._-]{0,63}$/, { message: 'sku must be 1-64 letters, digits, - _ or . (starting with a letter or digit)' })
  sku!: string;
}

/** A partial update: only the fields given change. */
@AtLeastOneField()
export class ProductChanges {
  @ApiPropertyOptional() @IsOmittable() @Trimmed() @IsString() @Length(1, 200) @IsSuggestable('name') name?: string;
  @ApiPropertyOptional() @IsOmittable() @IsString() @Length(0, 5000) @IsNulFree('description') description?: string;
  @ApiPropertyOptional() @IsOmittable() @Trimmed() @IsString() @Length(1, 100) @IsSuggestable('brand') brand?: string;
  @ApiPropertyOptional({ type: [String] })
  @IsOmittable()
  @Trimmed({ each: true })
  @IsArray()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @Length(1, 50, { each: true })
  @IsNulFree('categories', { each: true })
  categories?: string[];
  @ApiPropertyOptional() @IsOmittable() @IsInt() @Min(0) @Max(MAX_PRICE_CENTS) priceCents?: number;
  @ApiPropertyOptional()
  @IsOmittable()
  @IsString()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be a three-letter ISO 4217 code such as EUR' })
  currency?: string;
  @ApiPropertyOptional()
  @IsOmittable()
  @IsObject()
  @IsStringMap({ maxKeys: 50, maxKeyLength: 50, maxValueLength: 200 })
  attributes?: Record<string, string>;
  @ApiPropertyOptional() @IsOmittable() @IsInt() @Min(0) @Max(MAX_STOCK) stockOnHand?: number;
}

export class UpdateProductRequest extends ProductChanges {
  @ApiProperty({ format: 'uuid' }) @IsUUID() id!: string;
}

export class ProductIdRequest {
  @ApiProperty({ format: 'uuid' }) @IsUUID() id!: string;
}
