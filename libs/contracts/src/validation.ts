import { ApiSchema, type ApiSchemaOptions } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { Matches, ValidateIf, registerDecorator, type ValidationArguments, type ValidationOptions } from 'class-validator';

/**
 * The field may be left out, but when it is there it is validated — null included, so `null` is a
 * 400 naming the field rather than a value that reaches the store (class-validator's IsOptional
 * skips null as well as undefined).
 */
export const IsOmittable = (): PropertyDecorator => ValidateIf((_object: object, value: unknown) => value !== undefined);

/**
 * For a body of optional fields of which the service needs at least one (it answers `{}` with a 400):
 * says so in the OpenAPI schema (@nestjs/swagger copies an @ApiSchema's other keywords into the schema).
 */
export const AtLeastOneField = (): ClassDecorator => ApiSchema({ minProperties: 1 } as ApiSchemaOptions);

/** Text without the NUL character, which PostgreSQL refuses in text (a 500 where it reached the store). */
export const NUL_FREE = /^[^\u0000]*$/;
export const IsNulFree = (field: string, options: { each?: boolean } = {}): PropertyDecorator =>
  Matches(NUL_FREE, { ...options, message: `${field} must not contain the NUL character (\\u0000)` });

/** Trims a string value (anything else passes through to be rejected by its validator). */
export const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
/** Trims each string of an array. */
export const trimEach = ({ value }: { value: unknown }) => (Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v.trim() : v)) : value);

/** The metadata key Trimmed() leaves on a property (read by the gateway's OpenAPI document). */
export const TRIMMED = 'polystore:trimmed';

/**
 * Trims the value (or each item: `each`) before it is validated, so its length rules count what is
 * left; marked, so the OpenAPI document can state those lengths on the untrimmed text it describes.
 */
export function Trimmed(options: { each?: boolean } = {}): PropertyDecorator {
  const transform = Transform(options.each ? trimEach : trim);
  return (target, property) => {
    transform(target, property);
    Reflect.defineMetadata(TRIMMED, { each: options.each === true }, target, property);
  };
}

/** What Trimmed() said about a property, if it is trimmed. */
export function trimmedOf(prototype: object, property: string): { each: boolean } | undefined {
  return Reflect.getOwnMetadata(TRIMMED, prototype, property) as { each: boolean } | undefined;
}

/** A plain object of string values, bounded in size: free-form attributes. */
export function IsStringMap(limits: { maxKeys: number; maxKeyLength: number; maxValueLength: number }, options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isStringMap',
      target: target.constructor,
      propertyName,
      options,
      // The limits, for the OpenAPI document (the gateway turns them into maxProperties and the like).
      constraints: [{ ...limits, valuePattern: NUL_FREE.source }],
      validator: {
        validate(value: unknown) {
          if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
          const entries = Object.entries(value);
          return (
            entries.length <= limits.maxKeys &&
            entries.every(
              ([k, v]) =>
                k.length > 0 &&
                k.length <= limits.maxKeyLength &&
                NUL_FREE.test(k) &&
                typeof v === 'string' &&
                v.length <= limits.maxValueLength &&
                NUL_FREE.test(v),
            )
          );
        },
        defaultMessage(args: ValidationArguments) {
          return `${args.property} must map at most ${limits.maxKeys} keys (1-${limits.maxKeyLength} chars) to strings of at most ${limits.maxValueLength} chars, without NUL characters`;
        },
      },
    });
}
