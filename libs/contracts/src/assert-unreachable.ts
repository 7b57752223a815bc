/** Makes a `switch` over a union exhaustive at compile time. */
export function assertUnreachable(value: never): never {
  throw new Error(`Unhandled case: ${String(value)}`);
}
