import { trace, type Tracer } from '@opentelemetry/api';
import { tracerRegistered } from './tracing.js';

describe('tracerRegistered', () => {
  afterEach(() => trace.disable());

  it('is false until a tracer provider is registered, true after', () => {
    expect(tracerRegistered()).toBe(false);
    const tracer = trace.getTracer('test') as Tracer;
    expect(trace.setGlobalTracerProvider({ getTracer: () => tracer })).toBe(true);
    expect(tracerRegistered()).toBe(true);
  });
});
