/**
 * Where trace retention archives a run's events before deleting them: one JSON Lines file per run,
 * `<dir>/<yyyy-mm-dd of the run's end>/<runId>.jsonl`, written to a temporary name and renamed, so a
 * crash mid-write never leaves a partial archive that looks whole.
 */
import { mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";

export interface TraceArchive {
  /** Store the run's events (in seq order); resolves once they are durable on disk. */
  write(run: { id: string; finishedAt: Date }, events: readonly object[]): Promise<string>;
}

export function jsonlArchive(dir: string): TraceArchive {
  return {
    async write(run, events) {
      const day = run.finishedAt.toISOString().slice(0, 10);
      const folder = path.join(dir, day);
      await mkdir(folder, { recursive: true });
      const file = path.join(folder, `${run.id}.jsonl`);
      const tmp = `${file}.${process.pid}.tmp`;
      await writeFile(tmp, events.map((e) => `${JSON.stringify(e)}\n`).join(""), { flush: true });
      await rename(tmp, file);
      return file;
    },
  };
}
