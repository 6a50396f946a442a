import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { ProductsSubjects, ReservationIdRequest, ReserveStockRequest, type Reservation } from '@polystore/contracts';
import { StockService } from './stock.service.js';

/** Stock reservation RPCs for the checkout saga; each is idempotent by reservation id. */
@Controller()
export class StockController {
  constructor(@Inject(StockService) private readonly stock: StockService) {}

  @MessagePattern(ProductsSubjects.reserveStock)
  reserve(@Payload() request: ReserveStockRequest): Promise<Reservation> {
    return this.stock.reserve(request);
  }

  @MessagePattern(ProductsSubjects.releaseStock)
  release(@Payload() request: ReservationIdRequest): Promise<Reservation> {
    return this.stock.release(request.reservationId);
  }

  @MessagePattern(ProductsSubjects.commitStock)
  commit(@Payload() request: ReservationIdRequest): Promise<Reservation> {
    return this.stock.commit(request.reservationId);
  }

  @MessagePattern(ProductsSubjects.getReservation)
  get(@Payload() request: ReservationIdRequest): Promise<Reservation> {
    return this.stock.get(request.reservationId);
  }
}
