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

/**
 * The seeded demo flows. Their fetch targets are documents the FlowTrace server itself serves
 * (`<baseUrl>/demo/…`), so they run offline.
 */
export function demoResearch(baseUrl: string) {
  return {
    ...SPEC_EXAMPLE,
    nodes: SPEC_EXAMPLE.nodes.map((node) => {
      if (node.id === "ingest") return { ...node, config: { url: `${baseUrl}/demo/research.txt` } };
      // The demo summaries are short, so the demo's threshold is too: the deep branch is taken.
      if (node.id === "decide") return { ...node, config: { rule: "len(text)>200 ? 'deep' : 'shallow'" } };
      return node;
    }),
  };
}

export function demoCsv(baseUrl: string) {
  return {
    version: "1",
    entry: "fetch",
    nodes: [
      { id: "fetch", type: "tool", name: "FetchDocs", config: { url: `${baseUrl}/demo/sales.csv` } },
      { id: "parse", type: "tool", name: "CSV", config: { text: "{{node.fetch.output.content}}" } },
      {
        id: "analyse",
        type: "llm",
        name: "Analysis",
        config: {
          provider: "openai",
          model: "gpt-4o-mini",
          system: "You are a data analyst. Point out trends and outliers.",
          prompt: "Columns and statistics:\n{{node.parse.output.summary}}",
        },
      },
      {
        id: "report",
        type: "llm",
        name: "WriteUp",
        config: {
          provider: "anthropic",
          model: "claude-3-5-haiku-20241022",
          system: "Write a short report for executives.",
          prompt: "Analysis:\n{{node.analyse.output}}",
        },
      },
    ],
    edges: [
      { from: "fetch", to: "parse" },
      { from: "parse", to: "analyse" },
      { from: "analyse", to: "report" },
    ],
    limits: { maxNodes: 10, maxTokens: 100000, timeoutSeconds: 120 },
  };
}

/** Draft a post, ask a person, then publish it or revise it: the human-approval demo. */
export function demoApproval(_baseUrl: string) {
  const llm = (id: string, name: string, system: string, prompt: string) => ({
    id,
    type: "llm",
    name,
    config: { provider: "openai", model: "gpt-4o-mini", system, prompt },
  });
  return {
    version: "1",
    entry: "draft",
    nodes: [
      llm("draft", "Draft", "Write a short launch announcement.", "Announce: {{input.topic}}"),
      {
        id: "approve",
        type: "approval",
        name: "Approve",
        config: {
          message: "Publish this announcement?\n\n{{node.draft.output}}",
          timeoutSeconds: 86_400,
          onTimeout: "reject",
        },
        inputs: { draft: "{{node.draft.output}}", topic: "{{input.topic}}" },
      },
      llm("publish", "Publish", "Format the announcement for the blog.", "{{node.draft.output}}"),
      llm("revise", "Revise", "Rewrite the announcement to be more careful.", "{{node.draft.output}}"),
    ],
    edges: [
      { from: "draft", to: "approve" },
      { from: "approve", to: "publish", when: "branch == 'approved'" },
      { from: "approve", to: "revise", when: "branch == 'rejected'" },
    ],
    limits: { maxNodes: 10, maxTokens: 50000, timeoutSeconds: 120 },
  };
}

/**
 * An agent that researches with tools: it fetches the research brief and reshapes the topic, then
 * asks a person before "publishing" (a tool call marked requireApproval), and answers with a
 * structured object. Runs offline: the simulator calls the tools the task names, round by round.
 */
export function demoAgent(baseUrl: string) {
  const brief = `${baseUrl}/demo/research.txt`;
  return {
    version: "1",
    entry: "researcher",
    nodes: [
      {
        id: "researcher",
        type: "agent",
        name: "Researcher",
        config: {
          provider: "openai",
          model: "gpt-4o-mini",
          system: "You research with your tools and answer with sources.",
          prompt: `Research "{{input.topic}}": use http_fetch on ${brief} and transform upper "{{input.topic}}", then publish_update on ${brief}`,
          tools: [
            { tool: "http.fetch" },
            { tool: "transform" },
            { tool: "http.fetch", name: "publish_update", description: "Publish an update", requireApproval: true },
          ],
          maxIterations: 6,
          output: {
            schema: {
              type: "object",
              properties: { answer: { type: "string" }, sources: { type: "array", items: { type: "string" } } },
              required: ["answer", "sources"],
              additionalProperties: false,
            },
          },
          budget: { maxCostCents: 5, onExceeded: "pause" },
        },
      },
    ],
    edges: [],
    limits: { maxNodes: 5, maxTokens: 100000, timeoutSeconds: 300 },
  };
}

export const DEMO_WORKFLOWS = [
  {
    name: "Research → Summarize → Decide → Deep",
    description: "The spec's §3 example: fetch a document, summarise it, route long summaries to a deeper analysis.",
    graph: demoResearch,
  },
  {
    name: "CSV → Analysis → Write-up",
    description: "Parse a sales CSV with summary statistics, analyse it with one model, write the report with another.",
    graph: demoCsv,
  },
  {
    name: "Draft → Approve → Publish / Revise",
    description:
      "Draft an announcement, wait for a person to approve it (input topic), then publish it or revise it. Rejects after a day.",
    graph: demoApproval,
  },
  {
    name: "Research agent",
    description:
      "An agent that fetches and reshapes with tools, asks a person before publishing (an approval of the tool call, with editable arguments), and answers with a structured object. Input topic.",
    graph: demoAgent,
  },
] as const;
