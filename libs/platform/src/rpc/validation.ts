import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { ErrorCode } from '@polystore/contracts';
import { RpcError } from './rpc-error.js';

export interface FieldProblem {
  field: string;
  problems: string[];
}

/** Checks of a value's kind: when one fails, the field's range or length checks say nothing useful (`limit=1.5` is "not a whole number", not also "not ≤ 100"). */
const KIND_CHECKS = ['isInt', 'isNumber', 'isBoolean', 'isString', 'isArray', 'isObject'];

/** What is wrong with one field: only the failed kind check when there is one, else every failed check. */
function problemsOf(constraints: Record<string, string>): string[] {
  const kind = KIND_CHECKS.find((name) => name in constraints);
  return kind ? [constraints[kind]!] : Object.values(constraints);
}

/** Flattens class-validator errors into one entry per field, with dotted paths for nested ones. */
export function fieldProblems(errors: ValidationError[], parent = ''): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const error of errors) {
    const field = parent ? `${parent}.${error.property}` : error.property;
    if (error.constraints) out.push({ field, problems: problemsOf(error.constraints) });
    if (error.children?.length) out.push(...fieldProblems(error.children, field));
  }
  return out;
}

export function describeProblems(problems: FieldProblem[]): string {
  return problems.map((p) => p.problems.join('; ')).join('; ');
}

/** Shared validation settings: strip nothing silently, reject unknown fields, convert types explicitly only. */
export const VALIDATION_OPTIONS = {
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  transformOptions: { enableImplicitConversion: false },
  validationError: { target: false, value: false },
  stopAtFirstError: false,
} as const;

/** Validates RPC payloads against their contract DTO; failures travel as VALIDATION_FAILED. */
export function rpcValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    ...VALIDATION_OPTIONS,
    exceptionFactory: (errors) => {
      const problems = fieldProblems(errors);
      return new RpcError(ErrorCode.ValidationFailed, describeProblems(problems), problems);
    },
  });
}
