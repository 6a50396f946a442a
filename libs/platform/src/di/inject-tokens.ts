import type { Abstract, Type } from '@nestjs/common';

/**
 * The providers a factory takes, in parameter order: a class token must give its parameter's type
 * (checked by the compiler); a symbol or string token (e.g. a config) cannot be checked.
 */
export type InjectTokens<Deps extends readonly unknown[]> = { [I in keyof Deps]: Type<Deps[I]> | Abstract<Deps[I]> | string | symbol };
