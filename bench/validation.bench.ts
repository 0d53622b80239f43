/** Validation + compilation of a 1,000-node workflow, against JSON round-tripping the same document. */
import { validateWorkflow } from "../server/src/domain/workflow/validate.ts";
import { toolCatalog } from "../server/src/tools/registry.ts";
import { compare, type Measurement } from "./lib.ts";

export function largeWorkflow(n: number) {
  const nodes: unknown[] = [{ id: "n0", type: "tool", name: "FetchDocs", config: { url: "https://example.com/doc" } }];
  const edges: unknown[] = [];
  for (let i = 1; i < n; i++) {
    const parent = `n${i - 1}`;
    if (i % 10 === 5) {
      nodes.push({
        id: `n${i}`,
        type: "router",
        name: `Route ${i}`,
        config: { rule: "len(text) > 2000 ? 'deep' : 'shallow'" },
        inputs: { text: `{{node.${parent}.output}}` },
      });
    } else {
      nodes.push({
        id: `n${i}`,
        type: "llm",
        name: `Step ${i}`,
        config: {
          provider: i % 2 ? "openai" : "anthropic",
          model: "gpt-4o-mini",
          system: "Be concise",
          prompt: `Summarise {{node.${parent}.output}}`,
        },
        inputs: { text: `{{node.${parent}.output}}`, first: "{{node.n0.output.content}}" },
      });
    }
    edges.push(
      i % 10 === 6
        ? { from: parent, to: `n${i}`, when: "branch == 'deep' || branch == 'shallow'" }
        : { from: parent, to: `n${i}` },
    );
    if (i > 2 && i % 7 === 0) edges.push({ from: `n${i - 3}`, to: `n${i}` });
  }
  return { version: "1", entry: "n0", nodes, edges, limits: { maxNodes: n } };
}

export async function benchValidation(samples = 40): Promise<Measurement> {
  const doc = largeWorkflow(1_000);
  const text = JSON.stringify(doc);
  const check = validateWorkflow(doc, { tools: toolCatalog, providers: ["openai", "anthropic"] });
  if (!check.ok) throw new Error(`benchmark document is invalid: ${JSON.stringify(check.issues.slice(0, 3))}`);
  return compare({
    name: "validate + compile 1,000-node workflow",
    baselineName: "JSON.parse(JSON.stringify(doc))",
    subject: () => validateWorkflow(JSON.parse(text), { tools: toolCatalog, providers: ["openai", "anthropic"] }),
    baseline: () => JSON.parse(text),
    samples,
  });
}
