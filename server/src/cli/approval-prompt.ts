/**
 * Asking a person at a terminal for an approval's decision (`flowtrace run` on a TTY), and the
 * line that tells a script how to decide instead.
 */
import { createInterface } from "node:readline/promises";

export interface AskedDecision {
  decision: "approve" | "reject";
  comment: string | null;
}

/** Whether `flowtrace run` may ask at the terminal (both ends a TTY, not --json). */
export const canAsk = (json: boolean) => !json && Boolean(process.stdin.isTTY && process.stdout.isTTY);

/** Ask approve/reject (and an optional comment); null when the input closes or `signal` fires first. */
export async function askDecision(nodeId: string, signal?: AbortSignal): Promise<AskedDecision | null> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    for (;;) {
      const answer = (await rl.question(`approve ${nodeId}? [a]pprove / [r]eject: `, { signal })).trim().toLowerCase();
      const decision = answer.startsWith("a") ? "approve" : answer.startsWith("r") ? "reject" : null;
      if (!decision) continue;
      const comment = (await rl.question("comment (optional): ", { signal })).trim();
      return { decision, comment: comment || null };
    }
  } catch {
    return null; // input closed, or someone else decided meanwhile
  } finally {
    rl.close();
  }
}

export const decideHint = (runId: string, nodeId: string, approvalId: string | null = null) =>
  approvalId
    ? `  decide with: flowtrace approve ${approvalId} [--reject] [--comment "…"] [--args JSON] [--extend CENTS]`
    : `  decide with: flowtrace approve ${runId} ${nodeId} [--reject] [--comment "…"]`;
