/**
 * The tool calls of one iteration: each by the exposed tool it names, its arguments (the model's,
 * or an approver's edit of them, with the workflow's fixed ones over them) checked against the
 * tool's schema, run — in parallel when the node allows, results always in call order. A call that
 * cannot run (unknown tool, bad arguments, rejected by a person) or that fails goes back to the
 * model as an error result, so it can recover. Calls that need a person are decided first.
 */
import { secretRefs } from "@flowtrace/contract/secrets";
import type { Approval } from "../../../db/prisma.ts";
import { canonicalJson } from "../../../domain/canonical-json.ts";
import type { ExposedTool } from "../../../domain/workflow/agent-tools.ts";
import type { ChatMessage, ToolCall } from "../../../providers/types.ts";
import { type ReplayBook, replayed } from "../../replay.ts";
import { WaitingForApprovalError } from "../../run-errors.ts";
import { type ToolVerdict, toolApprovalOf, toolVerdict } from "./approvals.ts";
import type { RecordedResult } from "./journal.ts";
import type { Loop } from "./loop.ts";
import { checkArgs, runExposed, sourceFields } from "./tool-sources.ts";

/**
 * What the model is shown of a result: text as is, anything else as canonical JSON (sorted keys: the
 * same bytes whether the result was just made or read back from storage, so a replay or a resumed
 * loop sends the very conversation the recording holds), at most 50,000 characters.
 */
const MAX_RESULT_CHARS = 50_000;
export function resultText(output: unknown): string {
  const text = typeof output === "string" ? output : canonicalJson(output ?? null);
  return text.length > MAX_RESULT_CHARS
    ? `${text.slice(0, MAX_RESULT_CHARS)}… [cut at ${MAX_RESULT_CHARS} characters]`
    : text;
}

type Prepared = { ok: true; tool: ExposedTool; args: Record<string, unknown> } | { ok: false; problem: string };

/** The exposed tool and the checked arguments of a call (or an approver's edit of them), or why it cannot run. */
function prepare(loop: Loop, call: ToolCall, approvedArgs?: Record<string, unknown>): Prepared {
  const tool = loop.tools.find((t) => t.name === call.name);
  if (!tool) {
    const available = loop.tools.map((t) => t.name).join(", ");
    return { ok: false, problem: `there is no tool named ${call.name} (available: ${available})` };
  }
  if (call.badArgs !== undefined && !approvedArgs) {
    return { ok: false, problem: `the arguments were not a JSON object: ${call.badArgs.slice(0, 200)}` };
  }
  if (secretRefs(JSON.stringify(approvedArgs ?? call.args)).length > 0) {
    return {
      ok: false,
      problem: "arguments may not name a {{secret.…}}: secrets are filled only where the workflow names them",
    };
  }
  const checked = checkArgs(tool, { ...(approvedArgs ?? call.args), ...tool.fixed });
  return checked.ok ? { ok: true, tool, args: checked.args } : checked;
}

/** Run one call (recording its request and result, stored before the loop goes on). */
async function runCall(loop: Loop, call: ToolCall, iteration: number, verdict?: ToolVerdict): Promise<RecordedResult> {
  const { ctx } = loop;
  const prepared = prepare(loop, call, verdict?.run ? verdict.args : undefined);
  const p: Prepared = verdict && !verdict.run ? { ok: false, problem: verdict.problem } : prepared;
  const tool = prepared.ok ? prepared.tool.traceName : call.name;
  const ids = { iteration, toolCallId: call.id, ...(prepared.ok ? sourceFields(prepared.tool) : {}) };
  const args = prepared.ok ? prepared.args : call.args;
  ctx.recorder.emit("tool.request", ctx.stepId, { tool, args, attempt: 1, name: call.name, ...ids });
  const started = performance.now();
  const result = p.ok
    ? await runExposed(p.tool, p.args, ctx, { nodeId: loop.node.id, callId: call.id })
    : { output: { error: p.problem }, isError: true };
  ctx.recorder.emit("tool.response", ctx.stepId, {
    tool,
    output: result.output,
    latencyMs: Math.round(performance.now() - started),
    attempt: 1,
    ...ids,
    ...(result.isError ? { isError: true } : {}),
  });
  return result;
}

/** The parent run's result for the same call; calls that could not run are refused the same way, without it. */
function replayCall(loop: Loop, call: ToolCall, book: ReplayBook): RecordedResult {
  const p = prepare(loop, call);
  if (!p.ok) return { output: { error: p.problem }, isError: true };
  const { ctx, node } = loop;
  const answer = replayed({ ...ctx, replay: book }, node.id, { kind: "tool", tool: p.tool.traceName, args: p.args });
  ctx.recorder.emit("replay.hit", ctx.stepId, { nodeId: node.id, sourceRunId: book.sourceRunId, kind: "tool" });
  const err = answer as { isError?: unknown; output?: unknown } | null;
  return err && typeof err === "object" && err.isError === true
    ? { output: err.output, isError: true }
    : { output: answer, isError: false };
}

async function resultOf(loop: Loop, call: ToolCall, iteration: number, verdict?: ToolVerdict): Promise<ChatMessage> {
  const recorded = loop.journal.results.get(call.id);
  const replay = loop.ctx.replay;
  const result = recorded ?? (replay ? replayCall(loop, call, replay) : await runCall(loop, call, iteration, verdict));
  loop.totals.toolCalls += 1;
  const error = result.isError ? { isError: true } : {};
  return { role: "tool", toolCallId: call.id, name: call.name, content: resultText(result.output), ...error };
}

/**
 * The verdicts of the iteration's calls that need a person, before any of its tools runs: every
 * such call gets its approval at once (each decided on its own); while one is pending, the run waits.
 */
async function approvalsFor(loop: Loop, calls: ToolCall[]): Promise<Map<string, ToolVerdict>> {
  const asked: { call: ToolCall; approval: Approval; args: Record<string, unknown> }[] = [];
  for (const call of calls) {
    if (loop.journal.results.has(call.id)) continue;
    const p = prepare(loop, call);
    if (!p.ok || !p.tool.requireApproval) continue;
    asked.push({ call, approval: await toolApprovalOf(loop, call, p.tool.traceName, p.args), args: p.args });
  }
  const pending = asked.find((a) => a.approval.status === "pending");
  if (pending) throw new WaitingForApprovalError(pending.approval);
  const verdicts = new Map<string, ToolVerdict>();
  for (const a of asked) verdicts.set(a.call.id, await toolVerdict(loop, a.approval, a.args));
  return verdicts;
}

/** The iteration's results, in call order; stored before the next model call. */
export async function runToolCalls(loop: Loop, calls: ToolCall[], iteration: number): Promise<ChatMessage[]> {
  const verdicts = loop.ctx.replay ? new Map<string, ToolVerdict>() : await approvalsFor(loop, calls);
  const one = (c: ToolCall) => resultOf(loop, c, iteration, verdicts.get(c.id));
  let results: ChatMessage[];
  if (loop.node.config.parallelToolCalls) {
    results = await Promise.all(calls.map(one));
  } else {
    results = [];
    for (const c of calls) results.push(await one(c));
  }
  await loop.ctx.recorder.flush();
  return results;
}
