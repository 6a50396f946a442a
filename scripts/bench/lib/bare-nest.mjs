// The request path's yardstick: a bare Nest gateway (Fastify) that answers GET /hello by asking a
// bare Nest service over NATS (Nest's own ClientProxy and @MessagePattern, JSON packets), with no
// store, no auth, no validation, no tracing and no metrics — what NestJS and NATS cost by
// themselves. `node bare-nest.mjs service|gateway <nats url> <user> <password> [port]`; the
// gateway prints its URL when it listens. Plain JS, so decorators are applied by hand.
import 'reflect-metadata';
import { Controller, Get, Inject, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ClientsModule, MessagePattern, Transport } from '@nestjs/microservices';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { firstValueFrom } from 'rxjs';

const [role, servers, user, pass] = process.argv.slice(2);
const SUBJECT = 'bench.bare-nest.hello';
const CLIENT = Symbol('BARE_NEST_CLIENT');
const nats = { servers: [servers], user, pass };

function decorate(target, key, ...decorators) {
  const descriptor = Object.getOwnPropertyDescriptor(target.prototype, key);
  for (const decorator of decorators) decorator(target.prototype, key, descriptor);
}

if (role === 'service') {
  // A reply the size of a user profile.
  class HelloService {
    hello(request) {
      return { id: request.userId, email: 'bench@example.com', name: 'Bench', role: 'customer', createdAt: '2026-01-01T00:00:00.000Z' };
    }
  }
  decorate(HelloService, 'hello', MessagePattern(SUBJECT));
  Controller()(HelloService);
  class ServiceModule {}
  Module({ controllers: [HelloService] })(ServiceModule);
  const app = await NestFactory.createMicroservice(ServiceModule, {
    transport: Transport.NATS,
    options: { ...nats, queue: 'bare-nest' },
    logger: false,
  });
  await app.listen();
  console.log('listening');
} else {
  class HelloController {
    constructor(client) {
      this.client = client;
    }
    hello() {
      return firstValueFrom(this.client.send(SUBJECT, { userId: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b' }));
    }
  }
  decorate(HelloController, 'hello', Get('hello'));
  Controller()(HelloController);
  Inject(CLIENT)(HelloController, undefined, 0);
  class GatewayModule {}
  Module({ imports: [ClientsModule.register([{ name: CLIENT, transport: Transport.NATS, options: nats }])], controllers: [HelloController] })(
    GatewayModule,
  );
  const app = await NestFactory.create(GatewayModule, new FastifyAdapter(), { logger: false });
  await app.listen(0, '127.0.0.1');
  console.log(`${await app.getUrl()}/hello`.replace('[::1]', '127.0.0.1'));
}
