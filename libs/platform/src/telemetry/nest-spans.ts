import { Injectable, type ArgumentMetadata, type CallHandler, type ExecutionContext, type NestInterceptor, type PipeTransform } from '@nestjs/common';
import { context, trace } from '@opentelemetry/api';
import { Observable } from 'rxjs';
import { inSpan, recordFailure, recordingIn, tracer } from './tracing.js';

/**
 * The spans Nest's own instrumentation would give, which does not patch NestJS 12's ESM build
 * (opentelemetry-js-contrib issue 3732): a span per handler call named after the controller's
 * class and method, with the validation of its arguments inside it (tracedPipe).
 */
@Injectable()
export class HandlerSpanInterceptor implements NestInterceptor {
  intercept(execution: ExecutionContext, next: CallHandler): Observable<unknown> {
    // Only inside a recorded trace: a health probe on a service's own HTTP port starts none, and
    // an unsampled request's spans would be dropped anyway (nothing is made for them, see unsampledSpanOf).
    if (!recordingIn()) return next.handle();
    const controller = execution.getClass().name;
    const handler = execution.getHandler().name;
    return new Observable((subscriber) => {
      const parent = context.active();
      const span = tracer.startSpan(`${controller}.${handler}`, {
        attributes: { 'code.function.name': `${controller}.${handler}`, 'nestjs.type': execution.getType() },
      });
      // next.handle() binds the rest of the chain (pipes, handler) to the context it is called in.
      const subscription = context
        .with(trace.setSpan(parent, span), () => next.handle())
        .subscribe({
          next: (value) => subscriber.next(value),
          error: (error: unknown) => {
            recordFailure(span, error);
            span.end();
            subscriber.error(error);
          },
          complete: () => {
            span.end();
            subscriber.complete();
          },
        });
      return () => subscription.unsubscribe();
    });
  }
}

/** Types the validation pipe passes through unchecked: no span for them. */
const UNVALIDATED: unknown[] = [Object, String, Number, Boolean, Array, Date, Buffer, Promise, undefined];

/** A pipe whose work on a DTO argument shows as a `validate <Dto>` span. */
export function tracedPipe(pipe: PipeTransform): PipeTransform {
  return {
    transform(value: unknown, metadata: ArgumentMetadata): unknown {
      if (UNVALIDATED.includes(metadata.metatype) || !recordingIn()) return pipe.transform(value, metadata);
      return inSpan(`validate ${metadata.metatype!.name}`, { attributes: { 'nestjs.argument': metadata.type } }, async () =>
        pipe.transform(value, metadata),
      );
    },
  };
}
