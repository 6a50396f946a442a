import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class Product {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() sku!: string;
  @ApiProperty() name!: string;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'null when created with null' }) description?: string | null;
  @ApiProperty() brand!: string;
  @ApiProperty({ type: [String] }) categories!: string[];
  @ApiProperty() priceCents!: number;
  @ApiProperty() currency!: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) attributes!: Record<string, string>;
  @ApiProperty() stockOnHand!: number;
  @ApiProperty({ description: 'On hand minus what open reservations hold' }) stockAvailable!: number;
  @ApiProperty({ description: 'Increases with every change' }) version!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}
