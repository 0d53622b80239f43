/** An agent step as a conversation: the task, each answer with its tool calls, tokens and cost, each tool's result. */
import { formatCents } from "../../lib/format.ts";
import { conversationOf, type Turn } from "./conversation.ts";
import type { StepView } from "./model.ts";

const show = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v, null, 2));

function AssistantTurn({ turn }: { turn: Extract<Turn, { role: "assistant" }> }) {
  const figures = turn.cached
    ? "from the cache"
    : `${turn.tokens ?? "?"} tokens · ${turn.costCents === null ? "cost unknown" : formatCents(turn.costCents)}`;
  return (
    <>
      <header>
        Model · iteration {turn.iteration} <span className="muted">({figures})</span>
      </header>
      {turn.text && <pre className="turn-text">{turn.text}</pre>}
      {turn.toolCalls.length > 0 && (
        <ul className="tool-calls">
          {turn.toolCalls.map((c) => (
            <li key={c.id}>
              calls <code>{c.name}</code> <code className="muted">{JSON.stringify(c.args)}</code>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function TurnView({ turn }: { turn: Turn }) {
  if (turn.role === "assistant") return <AssistantTurn turn={turn} />;
  if (turn.role === "tool") {
    return (
      <>
        <header>
          Tool <code>{turn.name}</code> {turn.isError && <strong className="error">failed</strong>}
        </header>
        <pre className="turn-text">{show(turn.output).slice(0, 4000)}</pre>
      </>
    );
  }
  return (
    <>
      <header>{turn.role === "system" ? "System" : "Task"}</header>
      <pre className="turn-text">{turn.text}</pre>
    </>
  );
}

export function Conversation({ step }: { step: StepView }) {
  const turns = conversationOf(step.events);
  if (turns.length === 0) return null;
  return (
    <section aria-label="Conversation" className="conversation">
      <h3>Conversation</h3>
      <ol>
        {turns.map((turn, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: turns are append-only, in trace order
          <li key={i} className={`turn turn-${turn.role}`}>
            <TurnView turn={turn} />
          </li>
        ))}
      </ol>
    </section>
  );
}
