import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { MetricsModule, NatsModule, appNatsSettings, eventStreamUsage } from '@polystore/platform';
import { AnalyticsController } from './analytics/analytics.controller.js';
import { AuthController } from './auth/auth.controller.js';
import { CartController } from './cart/cart.controller.js';
import { CheckoutController } from './cart/checkout.controller.js';
import { JwtAuthGuard } from './auth/jwt-auth.guard.js';
import { TokenVerifier } from './auth/token-verifier.js';
import { GATEWAY_CONFIG, type GatewayConfig } from './config.js';
import { ProductViewsPublisher } from './events/product-views.publisher.js';
import { GatewayHealthController } from './health/health.controller.js';
import { MeController } from './me/me.controller.js';
import { OverviewService } from './me/overview.service.js';
import { ConversationsController } from './messaging/conversations.controller.js';
import { NotificationsController } from './messaging/notifications.controller.js';
import { AdminOrdersController } from './orders/admin-orders.controller.js';
import { OrdersController } from './orders/orders.controller.js';
import { ProductsController } from './products/products.controller.js';
import { UsersController } from './users/users.controller.js';

/** Every controller of the gateway (the OpenAPI document maps its operations back to them). */
export const GATEWAY_CONTROLLERS = [
  AuthController,
  UsersController,
  MeController,
  ProductsController,
  CartController,
  CheckoutController,
  AnalyticsController,
  NotificationsController,
  ConversationsController,
  OrdersController,
  AdminOrdersController,
  GatewayHealthController,
];

@Module({})
export class GatewayModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: GatewayModule,
      imports: [NatsModule.forRoot(appNatsSettings('gateway'), config.rpcTimeoutMs), MetricsModule.forRoot('gateway')],
      controllers: GATEWAY_CONTROLLERS,
      providers: [
        { provide: GATEWAY_CONFIG, useValue: config },
        { provide: TokenVerifier, useValue: new TokenVerifier(config.jwtPublicKey) },
        { provide: APP_GUARD, useClass: JwtAuthGuard },
        ProductViewsPublisher,
        OverviewService,
        // The bytes and messages of its event stream (ProductViewed), for `npm run usage`.
        eventStreamUsage(),
      ],
    };
  }
}
