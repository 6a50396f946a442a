import { applyDecorators, type Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApiResponse, DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { trimmedOf } from '@polystore/contracts';
import { getMetadataStorage } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata.js';
import { accessOf } from '../auth/jwt-auth.guard.js';
import { ErrorBody } from './errors.js';

// @nestjs/swagger does not export its OpenAPI types by name.
type OperationObject = NonNullable<OpenAPIObject['paths'][string]['get']>;
type ResponseObject = Exclude<OperationObject['responses'][string], { $ref: string }>;
type SchemaObject = Exclude<NonNullable<NonNullable<OpenAPIObject['components']>['schemas']>[string], { $ref: string }>;
type ReferenceObject = { $ref: string };

// The gateway's OpenAPI document is derived, not kept by hand: request schemas take their limits
// from the class-validator rules the server enforces, and each operation's error statuses follow
// from what the route has (input → 400, a token → 401, roles → 403, a service behind it → 503/504).
// A route declares only the errors its service adds (404, 409, 422, ...) with @ApiErrors.

/** What each error status means, unless the route says more. */
const ERROR_MEANINGS: Record<number, string> = {
  400: 'VALIDATION_FAILED (or MALFORMED_JSON, BODY_TOO_LARGE): details names each bad field',
  401: 'UNAUTHENTICATED: the bearer token is missing, invalid or expired',
  403: 'FORBIDDEN: the token’s role may not do this',
  404: 'NOT_FOUND',
  405: 'The path exists, not with this method; Allow lists the methods it has',
  409: 'CONFLICT',
  415: 'UNSUPPORTED_MEDIA_TYPE: send application/json',
  422: 'UNPROCESSABLE: a business rule refused it',
  429: 'TOO_MANY_REQUESTS: Retry-After says when to try again',
  503: 'UNAVAILABLE: the service or its store is away; Retry-After says when to try again',
  504: 'TIMEOUT: the service did not answer in time',
};

const RETRY_AFTER = {
  'Retry-After': { description: 'Seconds to wait before trying again', required: true, schema: { type: 'integer', minimum: 0 } },
};

/** The error body, with the Retry-After header where the status carries one. */
function errorResponse(status: number, description = ERROR_MEANINGS[status] ?? 'error'): ResponseObject {
  return {
    description,
    content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } },
    ...(status === 429 || status === 503 ? { headers: RETRY_AFTER } : {}),
  } as ResponseObject;
}

/** The errors a route's service can answer beyond the ones every route of its kind has: `@ApiErrors(404, [409, 'SKU taken'])`. */
export function ApiErrors(...errors: Array<number | [number, string]>): MethodDecorator {
  return applyDecorators(
    ...errors.map((error) => {
      const [status, description] = typeof error === 'number' ? [error, ERROR_MEANINGS[error]] : error;
      return ApiResponse({ status, description, type: ErrorBody, ...(status === 429 || status === 503 ? { headers: RETRY_AFTER } : {}) });
    }),
  );
}

type SchemaPatch = Omit<SchemaObject, 'required' | 'items'> & { required?: boolean; items?: SchemaPatch };

/** Each class-validator rule, as the JSON Schema keywords that say the same. */
const RULE_SCHEMAS: Record<string, (constraints: unknown[]) => SchemaPatch> = {
  isInt: () => ({ type: 'integer' }),
  isBoolean: () => ({ type: 'boolean' }),
  isString: () => ({ type: 'string' }),
  isObject: () => ({ type: 'object' }),
  isArray: () => ({ type: 'array' }),
  min: ([n]) => ({ minimum: n as number }),
  max: ([n]) => ({ maximum: n as number }),
  isLength: ([min, max]) => ({ minLength: min as number, ...(max === undefined ? {} : { maxLength: max as number }) }),
  minLength: ([n]) => ({ minLength: n as number }),
  maxLength: ([n]) => ({ maxLength: n as number }),
  isIn: ([values]) => ({ enum: values as unknown[] }),
  isUuid: () => ({ format: 'uuid', pattern: UUID_PATTERN }),
  isEmail: () => ({ format: 'email' }),
  arrayMaxSize: ([n]) => ({ maxItems: n as number }),
  isStringMap: ([limits]) => {
    const { maxKeys, maxValueLength, valuePattern } = limits as { maxKeys: number; maxValueLength: number; valuePattern: string };
    return { type: 'object', maxProperties: maxKeys, additionalProperties: { type: 'string', maxLength: maxValueLength, pattern: valuePattern } };
  },
};

/** class-validator's IsUUID() (any version, nil, max; either case), as a JSON Schema pattern. */
export const UUID_PATTERN =
  '^(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}|0{8}-0{4}-0{4}-0{4}-0{12}|[fF]{8}-[fF]{4}-[fF]{4}-[fF]{4}-[fF]{12})$';

/** Where @ApiProperty keeps a property's schema (@nestjs/swagger's DECORATORS.API_MODEL_PROPERTIES). */
const SWAGGER_PROPERTIES = 'swagger/apiModelProperties';
const CONDITIONAL = 'conditionalValidation';

/** The characters String.prototype.trim removes (JavaScript's WhiteSpace and LineTerminator), as a class body. */
const BLANK_CHARS = '\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff';

/**
 * A trimmed text of `min`..`max` characters, stated on the text as sent: blanks, then what is
 * left after trimming (starting and ending with a non-blank), then blanks. The server counts the
 * length after trimming, so minLength/maxLength (which count the text as sent) cannot say it.
 */
export function trimmedLengthPattern(min: number, max?: number): string {
  const blank = `[${BLANK_CHARS}]`;
  const solid = `[^${BLANK_CHARS}]`;
  const between = (from: number, to?: number) => `[\\s\\S]{${from},${to ?? ''}}`;
  const core =
    max === 0
      ? ''
      : min <= 1
        ? max === 1
          ? solid
          : `${solid}(?:${between(0, max === undefined ? undefined : max - 2)}${solid})?`
        : `${solid}${between(min - 2, max === undefined ? undefined : max - 2)}${solid}`;
  return `^${blank}*${min === 0 && core ? `(?:${core})?` : core}${blank}*$`;
}

/** A pattern that only excludes characters (`^[^…]*$`, e.g. the NUL-free rule): the excluded class body. */
const EXCLUDING = /^\^\[\^((?:[^\]\\]|\\.)+)\]\*\$$/;

/**
 * Several patterns as one that a text must match for all of them to (a JSON Schema property has one
 * `pattern`): at the start, a negative lookahead per excluded character class and a lookahead per
 * further pattern, then the last pattern itself. Exclusions go in lookaheads that generate nothing,
 * so a generator (the fuzzer's) builds texts from the pattern that says what they are.
 */
export function combinePatterns(patterns: string[]): string | undefined {
  const unique = [...new Set(patterns)];
  if (unique.length <= 1) return unique[0];
  const excluded = unique.flatMap((p) => EXCLUDING.exec(p)?.[1] ?? []);
  const required = unique.filter((p) => !EXCLUDING.test(p));
  // `[\s\S]*?` lets an unanchored pattern match anywhere, as JSON Schema's `pattern` does; an anchored one only at the start.
  const anywhere = (p: string) => (p.startsWith('^') ? `(?:${p})` : `[\\s\\S]*?(?:${p})`);
  const last = required.pop();
  return [
    '^',
    ...excluded.map((chars) => `(?![\\s\\S]*[${chars}])`),
    ...required.map((p) => `(?=${anywhere(p)})`),
    last === undefined ? '' : anywhere(last),
  ].join('');
}

/**
 * The schema one property's rules add up to (`each` rules describe the items of an array). A
 * trimmed property (or item) states its length rules as a pattern on the text as sent.
 */
function schemaOfRules(rules: ValidationMetadata[], trimmed: { each: boolean } | undefined, where: string): SchemaPatch {
  const schema: SchemaPatch = {};
  const items: SchemaPatch = {};
  const patterns = { own: [] as string[], each: [] as string[] };
  for (const rule of rules) {
    // IsOptional lets undefined and null through; IsOmittable (ValidateIf) only undefined.
    if (rule.type === CONDITIONAL) {
      schema.required = false;
      if (rule.name === 'isOptional') schema.nullable = true;
      continue;
    }
    if (rule.name === 'matches') {
      patterns[rule.each ? 'each' : 'own'].push(((rule.constraints ?? [])[0] as RegExp).source);
      continue;
    }
    const describe = rule.name ? RULE_SCHEMAS[rule.name] : undefined;
    if (describe) Object.assign(rule.each ? items : schema, describe(rule.constraints ?? []));
  }
  for (const [target, list, isTrimmed] of [
    [schema, patterns.own, trimmed !== undefined && !trimmed.each],
    [items, patterns.each, trimmed?.each === true],
  ] as const) {
    if (isTrimmed) {
      // What the server checks on the trimmed text, stated on the text as sent: exclusions hold for both; other patterns would not.
      if (list.some((p) => !EXCLUDING.test(p)))
        throw new Error(`OpenAPI: ${where} is trimmed and has a pattern the document cannot state on the untrimmed text`);
      list.push(trimmedLengthPattern(target.minLength ?? 0, target.maxLength));
      target.minLength = undefined;
      target.maxLength = undefined;
    }
    const pattern = combinePatterns(list);
    if (pattern !== undefined) target.pattern = pattern;
  }
  if (Object.keys(items).length) schema.items = items;
  return schema;
}

let rulesDescribed = false;

/**
 * Writes every class-validator rule into the @ApiProperty metadata of its property, so the document
 * states exactly the limits the validation pipe enforces (types, ranges, lengths, patterns, enums,
 * nullability, required). Properties without @ApiProperty are not documented and are left alone.
 */
export function describeValidationRules(): void {
  if (rulesDescribed) return;
  rulesDescribed = true;
  const storage = getMetadataStorage() as unknown as { validationMetadatas: Map<Type, ValidationMetadata[]> };
  for (const [target, metadatas] of storage.validationMetadatas) {
    const byProperty = new Map<string, ValidationMetadata[]>();
    for (const m of metadatas) byProperty.set(m.propertyName, [...(byProperty.get(m.propertyName) ?? []), m]);
    for (const [property, rules] of byProperty) {
      const existing = Reflect.getOwnMetadata(SWAGGER_PROPERTIES, target.prototype, property) as Record<string, unknown> | undefined;
      if (!existing) continue;
      const patch = schemaOfRules(rules, trimmedOf(target.prototype, property), `${target.name}.${property}`);
      const merged: Record<string, unknown> = { ...existing, ...patch };
      // A trimmed text's lengths are in its pattern (lengths the @ApiProperty repeats go too).
      for (const key of ['minLength', 'maxLength'] as const) if (key in patch && patch[key] === undefined) delete merged[key];
      if (patch.type === 'integer' || patch.type === 'boolean') merged.type = patch.type;
      // An array's item rules: ApiProperty({ type: [String] }) becomes an explicit array of constrained items.
      if (patch.items) {
        const itemType = typeof existing.type === 'function' ? (existing.type as { name: string }).name.toLowerCase() : 'string';
        Object.assign(merged, { type: 'array', isArray: undefined, items: { type: itemType, ...patch.items } });
      }
      Reflect.defineMetadata(SWAGGER_PROPERTIES, merged, target.prototype, property);
    }
  }
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
const BODY_METHODS = new Set(['post', 'put', 'patch', 'delete']);

/** The controller method behind each operation, by the operation id the document is built with. */
function handlerOf(controllers: Type[], operationId: string | undefined): { controller: Type; handler: (...args: unknown[]) => unknown } {
  const [name, method] = (operationId ?? '').split('_');
  const controller = controllers.find((c) => c.name === name);
  const handler = controller?.prototype[method ?? ''] as ((...args: unknown[]) => unknown) | undefined;
  if (!controller || !handler) throw new Error(`OpenAPI: no controller method for operation ${operationId}`);
  return { controller, handler };
}

/** Adds the errors an operation answers whatever its service says, and its security. */
function describeOperation(operation: OperationObject, method: string, controllers: Type[], bodyLimitBytes: number): void {
  const { controller, handler } = handlerOf(controllers, operation.operationId);
  const access = accessOf(controller, handler);
  const responses = operation.responses;
  const add = (status: number) => (responses[status] ??= errorResponse(status));
  const hasInput = (operation.parameters?.length ?? 0) > 0 || operation.requestBody !== undefined;
  // A body-carrying method may be sent a body, which may be malformed or too large, or of another type.
  if (hasInput || BODY_METHODS.has(method)) add(400);
  if (BODY_METHODS.has(method)) add(415);
  if (!access.public) {
    operation.security = [{ bearer: [] }];
    add(401);
  }
  if (access.roles) add(403);
  // Every route relays to a service; one that documents its own 503 (health) answers the rest itself.
  if (!responses[503]) {
    add(503);
    add(504);
  }
  const body = operation.requestBody as { content?: Record<string, { schema?: SchemaObject | ReferenceObject }>; description?: string } | undefined;
  if (body) body.description = [body.description, `At most ${bodyLimitBytes} bytes.`].filter(Boolean).join(' ');
}

/** A query or path parameter is text: left out or given, never null (IsOptional's null is a body's). */
function dropNullableParameters(operation: OperationObject): void {
  for (const parameter of operation.parameters ?? []) {
    const schema = (parameter as { schema?: SchemaObject }).schema;
    if (schema) delete schema.nullable;
  }
}

/** Request bodies refuse unknown properties (the validation pipe's forbidNonWhitelisted). */
function closeRequestSchemas(document: OpenAPIObject): void {
  const schemas = document.components?.schemas ?? {};
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const content = (item[method]?.requestBody as { content?: Record<string, { schema?: ReferenceObject }> } | undefined)?.content;
      for (const media of Object.values(content ?? {})) {
        const name = media.schema?.$ref?.split('/').pop();
        const schema = name ? (schemas[name] as SchemaObject | undefined) : undefined;
        if (schema) schema.additionalProperties = false;
      }
    }
  }
}

/** The document of the gateway's routes (served on /docs-json, checked in as apps/gateway/openapi.json). */
export function gatewayDocument(app: NestFastifyApplication, controllers: Type[], bodyLimitBytes: number): OpenAPIObject {
  describeValidationRules();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('polystore gateway')
      .setDescription(
        'REST entry point of polystore; every route is answered by a service over NATS. Every error answers the ErrorBody shape; ' +
          'an unknown path answers 404, a known path with another method 405 with Allow.',
      )
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
      .build(),
    { extraModels: [ErrorBody], operationIdFactory: (controller, method) => `${controller}_${method}` },
  );
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      describeOperation(operation, method, controllers, bodyLimitBytes);
      dropNullableParameters(operation);
    }
  }
  closeRequestSchemas(document);
  return document;
}
