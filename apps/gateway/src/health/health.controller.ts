import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { SERVICE_NAMES, healthSubject, type HealthReport } from '@polystore/contracts';
import { NatsLink, RpcClient } from '@polystore/platform';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/jwt-auth.guard.js';

/**
 * `/health`: the whole system's health as the gateway sees it (NATS, then each service's own report).
 * `/health/live`: the gateway process answers. `/health/ready`: it can take traffic (NATS connected);
 * a service that is away does not make the gateway unready: its routes answer 503 on their own.
 */
@ApiTags('health')
@Controller('health')
export class GatewayHealthController {
  constructor(
    @Inject(RpcClient) private readonly rpc: RpcClient,
    @Inject(NatsLink) private readonly nats: NatsLink,
  ) {}

  @Public()
  @Get()
  async health(@Res() reply: FastifyReply): Promise<void> {
    const services = await Promise.all(
      SERVICE_NAMES.map(async (service): Promise<HealthReport> => {
        try {
          return await this.rpc.send(healthSubject(service), {}, 2_000);
        } catch (error) {
          return { service, ok: false, checks: [{ name: 'rpc', ok: false, detail: (error as Error).message }] };
        }
      }),
    );
    const ok = this.nats.isConnected && services.every((s) => s.ok);
    await reply.status(ok ? 200 : 503).send({ service: 'gateway', ok, nats: this.nats.isConnected, services });
  }

  @Public()
  @Get('live')
  async live(@Res() reply: FastifyReply): Promise<void> {
    await reply.status(200).send({ service: 'gateway', live: true, uptimeSeconds: Math.round(process.uptime()) });
  }

  @Public()
  @Get('ready')
  async ready(@Res() reply: FastifyReply): Promise<void> {
    const ok = this.nats.isConnected;
    await reply.status(ok ? 200 : 503).send({ service: 'gateway', ok, checks: [{ name: 'nats', ok, ...(ok ? {} : { detail: 'disconnected' }) }] });
  }
}
