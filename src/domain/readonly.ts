/**
 * What zod infers is mutable; a run's records are never changed once made. DeepReadonly
 * makes the inferred types read-only throughout, so producers can hand over readonly
 * arrays and consumers cannot change what they were given.
 */
export type DeepReadonly<T> = T extends (...args: never[]) => unknown
  ? T
  : T extends readonly (infer E)[]
    ? readonly DeepReadonly<E>[]
    : T extends object
      ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
      : T;
