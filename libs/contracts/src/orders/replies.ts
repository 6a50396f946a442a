import { ApiProperty } from '@nestjs/swagger';

export class OrdersItem {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() label!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}
