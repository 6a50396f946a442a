import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ProductsRpc, ReservationIdRequest, ReserveStockRequest, type Reservation } from '@polystore/contracts';
import { RpcHandler } from '@polystore/platform';
import { StockService } from './stock.service.js';

/** Stock reservation RPCs for the checkout saga; each is idempotent by reservation id. */
@Controller()
export class StockController {
  constructor(@Inject(StockService) private readonly stock: StockService) {}

  @RpcHandler(ProductsRpc.reserveStock)
  reserve(@Payload() request: ReserveStockRequest): Promise<Reservation> {
    return this.stock.reserve(request);
  }

  @RpcHandler(ProductsRpc.releaseStock)
  release(@Payload() request: ReservationIdRequest): Promise<Reservation> {
    return this.stock.release(request.reservationId);
  }

  @RpcHandler(ProductsRpc.commitStock)
  commit(@Payload() request: ReservationIdRequest): Promise<Reservation> {
    return this.stock.commit(request.reservationId);
  }

  @RpcHandler(ProductsRpc.getReservation)
  get(@Payload() request: ReservationIdRequest): Promise<Reservation> {
    return this.stock.get(request.reservationId);
  }
}
