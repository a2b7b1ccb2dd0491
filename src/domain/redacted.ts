// Compile-time proof that a string went through redaction (STYLE §8.6). Only
// src/redact/redact.ts creates values of this type.
declare const redactedBrand: unique symbol;
export type Redacted<T extends string = string> = T & { readonly [redactedBrand]: true };
