/** How experiments' figures read: a lower bound says so, an unknown says so. */
import { formatCents } from "../../lib/format.ts";

export const experimentCost = (cents: string, complete: boolean) =>
  complete ? formatCents(cents) : `≥ ${formatCents(cents)} (a price is unknown)`;

export const ACTIVE = new Set(["queued", "running"]);
