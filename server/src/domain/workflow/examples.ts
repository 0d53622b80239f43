/** The spec's §3 example, verbatim. Used by tests, docs and the demo seed. */
export const SPEC_EXAMPLE = {
  version: "1",
  entry: "ingest",
  nodes: [
    { id: "ingest", type: "tool", name: "FetchDocs", config: { url: "https://…" } },
    {
      id: "summarize",
      type: "llm",
      name: "Summarize",
      config: { provider: "openai", model: "gpt-4o-mini", system: "Be concise" },
      inputs: { text: "{{node.ingest.output.content}}" },
    },
    {
      id: "decide",
      type: "router",
      name: "Decider",
      config: { rule: "len(text)>2000 ? 'deep' : 'shallow'" },
      inputs: { text: "{{node.summarize.output}}" },
    },
    {
      id: "deep",
      type: "llm",
      name: "DeepAnalysis",
      config: { provider: "anthropic", model: "claude-3.5-sonnet" },
      inputs: { text: "{{node.summarize.output}}" },
    },
  ],
  edges: [
    { from: "ingest", to: "summarize" },
    { from: "summarize", to: "decide" },
    { from: "decide", to: "deep", when: "branch=='deep'" },
  ],
  limits: { maxNodes: 20, maxTokens: 150000, timeoutSeconds: 120 },
} as const;
