import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { SERVICE_NAMES, healthSubject, type HealthReport } from '@polystore/contracts';
import { NatsLink, RpcClient } from '@polystore/platform';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/jwt-auth.guard.js';

class HealthCheckResult {
  @ApiProperty() name!: string;
  @ApiProperty() ok!: boolean;
  @ApiPropertyOptional() detail?: string;
}

class ServiceHealth {
  @ApiProperty() service!: string;
  @ApiProperty() ok!: boolean;
  @ApiProperty({ type: [HealthCheckResult] }) checks!: HealthCheckResult[];
}

class SystemHealth {
  @ApiProperty({ example: 'gateway' }) service!: string;
  @ApiProperty() ok!: boolean;
  @ApiProperty({ description: 'The gateway is connected to NATS' }) nats!: boolean;
  @ApiProperty({ type: [ServiceHealth] }) services!: ServiceHealth[];
}

class Liveness {
  @ApiProperty({ example: 'gateway' }) service!: string;
  @ApiProperty() live!: boolean;
  @ApiProperty({ type: 'integer' }) uptimeSeconds!: number;
}

class Readiness {
  @ApiProperty({ example: 'gateway' }) service!: string;
  @ApiProperty() ok!: boolean;
  @ApiProperty({ type: [HealthCheckResult] }) checks!: HealthCheckResult[];
}

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
  @ApiOkResponse({ type: SystemHealth, description: 'Every service and NATS are healthy' })
  @ApiServiceUnavailableResponse({ type: SystemHealth, description: 'Something is not: the report says what' })
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
    await reply.status(ok ? 200 : 503).send({ service: 'gateway', ok, nats: this.nats.isConnected, services } satisfies SystemHealth);
  }

  @Public()
  @Get('live')
  @ApiOkResponse({ type: Liveness, description: 'The gateway process answers' })
  async live(@Res() reply: FastifyReply): Promise<void> {
    await reply.status(200).send({ service: 'gateway', live: true, uptimeSeconds: Math.round(process.uptime()) } satisfies Liveness);
  }

  @Public()
  @Get('ready')
  @ApiOkResponse({ type: Readiness, description: 'The gateway can take traffic (NATS connected)' })
  @ApiServiceUnavailableResponse({ type: Readiness, description: 'NATS is away: the report says so' })
  async ready(@Res() reply: FastifyReply): Promise<void> {
    const ok = this.nats.isConnected;
    await reply
      .status(ok ? 200 : 503)
      .send({ service: 'gateway', ok, checks: [{ name: 'nats', ok, ...(ok ? {} : { detail: 'disconnected' }) }] } satisfies Readiness);
  }
}
