/** The error a promise rejects with; the test fails if it resolves instead. */
export function fails<E = Error>(p: Promise<unknown>): Promise<E> {
  return p.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (e: E) => e,
  );
}
