// What the person has edited on a page versus the record the host last sent: only touched
// fields are saved, and a teammate's change shows in every field the person left alone.

export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The fields whose value differs from the record as last received. */
export function touchedFields<F extends string>(fields: readonly F[], values: Record<F, unknown>, base: Record<F, unknown>): F[] {
  return fields.filter((f) => !sameValue(values[f], base[f]));
}

/** The person's values with an outside update applied to every field they have not touched. */
export function adoptOutsideChanges<F extends string, V extends Record<F, unknown>>(fields: readonly F[], values: V, previousBase: V, incoming: V): V {
  const next = { ...values };
  for (const f of fields) if (sameValue(values[f], previousBase[f])) next[f] = incoming[f];
  return next;
}
