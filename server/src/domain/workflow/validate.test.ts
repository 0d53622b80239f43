import { describe, expect, it } from "vitest";
import { toolCatalog } from "../../tools/registry.ts";
import { SPEC_EXAMPLE } from "./examples.ts";
import { formatPath, type ValidationIssue, validateWorkflow, workflowJsonSchema } from "./index.ts";
import { exportWorkflow, importWorkflow } from "./io.ts";

const ctx = { tools: toolCatalog, providers: ["openai", "anthropic", "local-vllm"] };
type Doc = Record<string, unknown> & { nodes: Record<string, unknown>[]; edges: Record<string, unknown>[] };
const spec = (): Doc => structuredClone(SPEC_EXAMPLE) as unknown as Doc;

const llm = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  type: "llm",
  name: id,
  config: { provider: "openai", model: "gpt-4o-mini" },
  ...extra,
});
const doc = (nodes: unknown[], edges: unknown[], extra: Record<string, unknown> = {}) => ({
  version: "1",
  entry: "a",
  nodes,
  edges,
  ...extra,
});

const issuesOf = (input: unknown): ValidationIssue[] => {
  const r = validateWorkflow(input, ctx);
  return r.ok ? [] : r.issues;
};

describe("validateWorkflow", () => {
  it("accepts the spec's §3 example verbatim", () => {
    const r = validateWorkflow(spec(), ctx);
    expect(r.issues).toEqual([]);
    expect(r.ok).toBe(true);
  });

  it("accepts an OpenAI-compatible provider name, fallbacks and every llm option", () => {
    const r = validateWorkflow(
      doc(
        [
          llm("a", {
            config: {
              provider: "local-vllm",
              model: "llama3",
              system: "Be brief",
              prompt: "Summarise {{input.topic}}",
              temperature: 0.2,
              maxTokens: 512,
              timeoutMs: 20_000,
              retry: { attempts: 3, backoffBaseMs: 200, backoffMaxMs: 5_000 },
              fallbacks: [{ provider: "anthropic", model: "claude-3-5-haiku-latest" }],
              cache: { ttlSeconds: 3600 },
            },
          }),
        ],
        [],
        { limits: { maxCostCents: 50 }, parallel: true },
      ),
      ctx,
    );
    expect(r.issues).toEqual([]);
  });

  const cases: [string, () => unknown, ValidationIssue[]][] = [
    ["a non-object", () => 42, [{ path: "", message: "expected a workflow object" }]],
    ["a wrong version", () => ({ ...spec(), version: "2" }), [{ path: "version", message: 'expected version "1"' }]],
    [
      "a missing model",
      () => {
        const d = spec();
        delete ((d.nodes[1] as Record<string, unknown>).config as Record<string, unknown>).model;
        return d;
      },
      [{ path: "nodes[1].config.model", message: "expected a model name" }],
    ],
    [
      "a misspelt config key",
      () => {
        const d = spec();
        (d.nodes[1]?.config as Record<string, unknown>).temprature = 0.5;
        return d;
      },
      [{ path: "nodes[1].config", message: "unknown key 'temprature'" }],
    ],
    [
      "an unknown node type",
      () => {
        const d = spec();
        (d.nodes[2] as Record<string, unknown>).type = "switch";
        return d;
      },
      [
        {
          path: "nodes[2].type",
          message: "expected type to be one of llm, agent, tool, router, approval, code, workflow",
        },
      ],
    ],
    [
      "a duplicate id",
      () => {
        const d = spec();
        (d.nodes[3] as Record<string, unknown>).id = "summarize";
        d.edges[2] = { from: "decide", to: "summarize", when: "branch=='deep'" };
        return d;
      },
      [
        { path: "nodes[3].id", message: "duplicate node id 'summarize' (also nodes[1])" },
        { path: "edges[2]", message: "cycle: summarize → decide → summarize" },
      ],
    ],
    [
      "an unknown entry",
      () => ({ ...spec(), entry: "start" }),
      [{ path: "entry", message: "entry 'start' is not a node id (nodes: ingest, summarize, decide, deep)" }],
    ],
    [
      "an edge to an unknown node",
      () => {
        const d = spec();
        d.edges.push({ from: "deep", to: "report" });
        return d;
      },
      [{ path: "edges[3].to", message: "edge goes to unknown node 'report'" }],
    ],
    [
      "an edge from an unknown node",
      () => {
        const d = spec();
        d.edges.push({ from: "nowhere", to: "deep" });
        return d;
      },
      [{ path: "edges[3].from", message: "edge comes from unknown node 'nowhere'" }],
    ],
    [
      "a cycle",
      () =>
        doc(
          [llm("a"), llm("b"), llm("c"), llm("d")],
          [
            { from: "a", to: "b" },
            { from: "b", to: "c" },
            { from: "c", to: "d" },
            { from: "d", to: "b" },
          ],
        ),
      [{ path: "edges[3]", message: "cycle: b → c → d → b" }],
    ],
    [
      "a self loop",
      () =>
        doc(
          [llm("a"), llm("b")],
          [
            { from: "a", to: "b" },
            { from: "b", to: "b" },
          ],
        ),
      [{ path: "edges[1]", message: "cycle: b → b" }],
    ],
    [
      "an edge into the entry",
      () =>
        doc(
          [llm("a"), llm("b")],
          [
            { from: "a", to: "b" },
            { from: "b", to: "a" },
          ],
        ),
      [
        { path: "edges[1].to", message: "the entry node 'a' cannot have inbound edges" },
        { path: "edges[1]", message: "cycle: a → b → a" },
      ],
    ],
    [
      "a duplicate edge",
      () =>
        doc(
          [llm("a"), llm("b")],
          [
            { from: "a", to: "b" },
            { from: "a", to: "b" },
          ],
        ),
      [{ path: "edges[1]", message: "duplicate edge a → b (also edges[0])" }],
    ],
    [
      "an unreachable node",
      () => doc([llm("a"), llm("b"), llm("orphan")], [{ from: "a", to: "b" }]),
      [{ path: "nodes[2]", message: "node 'orphan' is not reachable from entry 'a'" }],
    ],
    [
      "a template naming an unknown node",
      () => {
        const d = spec();
        (d.nodes[1] as Record<string, unknown>).inputs = { text: "{{node.fetch.output.content}}" };
        return d;
      },
      [{ path: "nodes[1].inputs.text", message: "{{node.fetch.output.content}} refers to unknown node 'fetch'" }],
    ],
    [
      "a template naming a downstream node",
      () => {
        const d = spec();
        (d.nodes[1]?.config as Record<string, unknown>).prompt = "Use {{node.deep.output}}";
        return d;
      },
      [
        {
          path: "nodes[1].config.prompt",
          message: "{{node.deep.output}} refers to node 'deep', which is not upstream of 'summarize'",
        },
      ],
    ],
    [
      "a template referring to the node itself",
      () => {
        const d = spec();
        (d.nodes[1]?.config as Record<string, unknown>).system = "{{node.summarize.output}}";
        return d;
      },
      [{ path: "nodes[1].config.system", message: "{{node.summarize.output}} refers to this node's own output" }],
    ],
    [
      "a malformed template",
      () => {
        const d = spec();
        (d.nodes[1] as Record<string, unknown>).inputs = { text: "{{nodes.ingest}}" };
        return d;
      },
      [
        {
          path: "nodes[1].inputs.text",
          message: "{{nodes.ingest}} refers to 'nodes'; only node.<id>.output and input.<name> can be referenced",
        },
      ],
    ],
    [
      "an unknown tool",
      () => {
        const d = spec();
        (d.nodes[0] as Record<string, unknown>).config = { tool: "shell", command: "rm -rf /" };
        return d;
      },
      [{ path: "nodes[0].config.tool", message: "unknown tool 'shell' (available: http.fetch, csv.parse, transform)" }],
    ],
    [
      // Found by the fuzz test: a templated argument the tool does not take threw inside zod.
      "a templated argument the tool does not take",
      () => {
        const d = spec();
        (d.nodes[0] as Record<string, unknown>).config = {
          tool: "http.fetch",
          url: "https://x.test/",
          rule: "{{input.topic}}",
        };
        return d;
      },
      [{ path: "nodes[0].config", message: "http.fetch: unknown key 'rule'" }],
    ],
    [
      "a tool that cannot be inferred from the node name",
      () => {
        const d = spec();
        (d.nodes[0] as Record<string, unknown>).name = "Ingest";
        return d;
      },
      [
        {
          path: "nodes[0].config",
          message:
            "cannot tell which tool node 'Ingest' runs: set config.tool to one of http.fetch, csv.parse, transform",
        },
      ],
    ],
    [
      "bad tool arguments",
      () => {
        const d = spec();
        (d.nodes[0] as Record<string, unknown>).config = { url: "ftp://example.com", timeoutMs: 5 };
        return d;
      },
      [
        { path: "nodes[0].config.url", message: "http.fetch: expected an http:// or https:// URL" },
        { path: "nodes[0].config.timeoutMs", message: "http.fetch: Too small: expected number to be >=100" },
      ],
    ],
    [
      "a router rule that does not parse",
      () => {
        const d = spec();
        (d.nodes[2]?.config as Record<string, unknown>).rule = "len(text) > ? 'deep'";
        return d;
      },
      [{ path: "nodes[2].config.rule", message: "syntax error at position 12: Expected expression after >" }],
    ],
    [
      "a rule with an unknown identifier",
      () => {
        const d = spec();
        (d.nodes[2]?.config as Record<string, unknown>).rule = "len(txt) > 5";
        return d;
      },
      [
        {
          path: "nodes[2].config.rule",
          message: "unknown identifier 'txt' (available: input, inputs, output, text)",
        },
      ],
    ],
    [
      "a rule with an unknown function",
      () => {
        const d = spec();
        (d.nodes[2]?.config as Record<string, unknown>).rule = "eval(text)";
        return d;
      },
      [
        {
          path: "nodes[2].config.rule",
          message:
            "unknown function 'eval' (available: len, lower, upper, contains, startsWith, endsWith, matches, number, string)",
        },
      ],
    ],
    [
      "prototype access in a rule",
      () => {
        const d = spec();
        (d.nodes[2]?.config as Record<string, unknown>).rule = "text.constructor";
        return d;
      },
      [{ path: "nodes[2].config.rule", message: "access to 'constructor' is not allowed" }],
    ],
    [
      "branch on an edge that does not leave a router",
      () => {
        const d = spec();
        (d.edges[0] as Record<string, unknown>).when = "branch == 'x'";
        return d;
      },
      [
        {
          path: "edges[0].when",
          message:
            "unknown identifier 'branch' (available: input, inputs, output) ('branch' exists only on edges leaving a router or an approval)",
        },
      ],
    ],
    [
      "an unknown provider",
      () => {
        const d = spec();
        (d.nodes[3]?.config as Record<string, unknown>).provider = "mistral";
        return d;
      },
      [
        {
          path: "nodes[3].config.provider",
          message: "unknown provider 'mistral' (configured: openai, anthropic, local-vllm)",
        },
      ],
    ],
    [
      "more nodes than limits.maxNodes",
      () => ({ ...spec(), limits: { maxNodes: 3 } }),
      [{ path: "nodes", message: "4 nodes exceed limits.maxNodes (3)" }],
    ],
    [
      "limits above the server's caps",
      () => ({ ...spec(), limits: { maxTokens: 9_000_000, timeoutSeconds: 7200 } }),
      [
        { path: "limits.maxTokens", message: "9000000 exceeds this server's cap of 5000000" },
        { path: "limits.timeoutSeconds", message: "7200 exceeds this server's cap of 3600" },
      ],
    ],
    [
      "a reserved input name",
      () => doc([llm("a", { inputs: { output: "x" } })], []),
      [{ path: "nodes[0].inputs.output", message: "this input name is reserved" }],
    ],
    [
      "an input name that is not an identifier",
      () => doc([llm("a", { inputs: { "my text": "x" } })], []),
      [
        {
          path: 'nodes[0].inputs["my text"]',
          message: "expected an input name: a letter or _, then letters, digits or _",
        },
      ],
    ],
  ];

  it.each(cases)("reports %s with its exact path and message", (_name, build, expected) => {
    const issues = issuesOf(build());
    for (const e of expected) expect(issues).toContainEqual(e);
    if (expected.length > 0) expect(issues.length).toBeGreaterThanOrEqual(expected.length);
  });

  it("reports only the expected issues for a single mistake", () => {
    const d = spec();
    (d.nodes[1]?.config as Record<string, unknown>).model = "";
    expect(issuesOf(d)).toEqual([{ path: "nodes[1].config.model", message: "expected a model name" }]);
  });

  it("collects several independent issues in one pass", () => {
    const d = spec();
    (d.nodes[1]?.config as Record<string, unknown>).model = "";
    d.edges.push({ from: "deep", to: "ghost" });
    (d.nodes[2]?.config as Record<string, unknown>).rule = "1 +";
    const paths = issuesOf(d).map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(["nodes[1].config.model", "edges[3].to", "nodes[2].config.rule"]));
  });
});

describe("formatPath", () => {
  it("renders JSON paths the way users read them", () => {
    expect(formatPath(["nodes", 2, "config", "model"])).toBe("nodes[2].config.model");
    expect(formatPath(["nodes", 0, "inputs", "my key"])).toBe('nodes[0].inputs["my key"]');
    expect(formatPath([])).toBe("");
  });
});

describe("import/export", () => {
  it("round-trips byte for byte with canonical key order", () => {
    const first = exportWorkflow(spec());
    const back = importWorkflow(first, ctx);
    expect(back.ok).toBe(true);
    const again = exportWorkflow(JSON.parse(first));
    expect(again).toBe(first);
    expect(first.indexOf('"edges"')).toBeLessThan(first.indexOf('"entry"'));
    expect(first.endsWith("}\n")).toBe(true);
  });

  it("reports invalid JSON as an issue", () => {
    expect(importWorkflow("{nope", ctx)).toMatchObject({ ok: false, issues: [{ path: "" }] });
  });
});

describe("JSON Schema rendering", () => {
  it("describes the document for editors", () => {
    const schema = workflowJsonSchema() as { properties: Record<string, unknown>; required: string[] };
    expect(schema.required).toEqual(expect.arrayContaining(["version", "entry", "nodes"]));
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(["version", "entry", "nodes", "edges", "limits", "parallel"]),
    );
  });
});
