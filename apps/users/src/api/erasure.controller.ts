import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  EraseUserRequest,
  RepublishErasuresRequest,
  UserIdRequest,
  UsersRpc,
  type ErasureStatus,
  type ErasuresRepublished,
} from '@polystore/contracts';
import { RpcHandler } from '@polystore/platform';
import { ErasureService } from './erasure.service.js';

/** Erasing a user, and its progress per service. */
@Controller()
export class ErasureController {
  constructor(@Inject(ErasureService) private readonly erasure: ErasureService) {}

  @RpcHandler(UsersRpc.eraseUser)
  erase(@Payload() request: EraseUserRequest): Promise<ErasureStatus> {
    return this.erasure.erase(request);
  }

  @RpcHandler(UsersRpc.getErasure)
  status(@Payload() request: UserIdRequest): Promise<ErasureStatus> {
    return this.erasure.status(request.userId);
  }

  @RpcHandler(UsersRpc.republishErasures)
  republish(@Payload() request: RepublishErasuresRequest): Promise<ErasuresRepublished> {
    return this.erasure.republish(request);
  }
}
