/**
 * A seeded corpus of hostile HTTP requests against the REST and GraphQL edges: wrong types, huge
 * strings, deep nesting, unicode edge cases (NUL, lone surrogates, BOM, RTL overrides, combining
 * floods), prototype-pollution keys, malformed JSON and bytes, hostile paths, queries and
 * GraphQL documents. Pure: the same seed gives the same corpus, so a failure can be replayed
 * (`FLOWTRACE_FUZZ_SEED`).
 */
import { SPEC_EXAMPLE } from "../../src/domain/workflow/examples.ts";
import { chain, fanOut } from "../chaos/harness.ts";

export type Family = "rest" | "graphql" | "workflow" | "raw";

export interface Probe {
  family: Family;
  label: string;
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** Already percent-encoded where needed; sent as is. */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** True if the request may legitimately start a run. */
  startsRun?: boolean;
}

/** Small, fast, seedable PRNG (mulberry32). */
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T,
    chance: (p: number) => next() < p,
  };
}
type Rng = ReturnType<typeof rng>;

export const POLLUTION_KEYS = ["__proto__", "constructor", "prototype"] as const;

const HOSTILE_STRINGS: readonly string[] = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "\u0001\u0002\u001f\u007f",
  "\ud800",
  "\udfff",
  "x\udc00\ud800y",
  "\uffff\ufffe",
  "\ufeff{}",
  "\u202eevil\u202c",
  "\u200b\u200c\u200d\u2060",
  `e${"\u0301".repeat(2000)}`,
  "Z\u0351\u036b\u0343\u036a\u0302\u036b\u033d\u034f\u0334\u0319\u0324\u031e\u0349\u035a\u032f",
  "👨‍👩‍👧‍👦".repeat(200),
  "𝕏𝔽𝕃𝕆𝕎",
  "\r\n\r\nHTTP/1.1 200 OK\r\n",
  "%00%zz%",
  "../../../../etc/passwd",
  "{{input.__proto__.polluted}}",
  "{{constructor.constructor('return process')()}}",
  "{{",
  "}}",
  "{{node..output}}",
  "{{input}}{{input}}".repeat(500),
  "' OR 1=1 --",
  '"; DROP TABLE workflows; --',
  "<script>alert(1)</script>",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a log4shell-style string, on purpose.
  "${jndi:ldap://127.0.0.1/a}",
  "len(text)>2000 ? 'deep' : 'shallow'",
  "((((((((((((((((((((((((((((((((((((((((",
  `${"!".repeat(5000)}true`,
  "'(a+)+$' matches 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!'",
  "9".repeat(400),
  "-0",
  "NaN",
  "Infinity",
  "1e309",
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "hasOwnProperty",
  "valueOf",
  "null",
  "undefined",
  "true",
  "00000000-0000-0000-0000-000000000000",
  "ffffffff-ffff-ffff-ffff-ffffffffffff",
  "http://169.254.169.254/latest/meta-data/",
  "file:///etc/passwd",
  "gpt-4o-mini",
  "openai",
  "llm",
];

const NUMBERS: readonly number[] = [
  0,
  -1,
  1.5,
  2 ** 31,
  2 ** 31 - 1,
  -(2 ** 31) - 1,
  2 ** 53,
  -(2 ** 53),
  1e308,
  -1e308,
  5e-324,
  Number.MAX_SAFE_INTEGER + 2,
  0.1 + 0.2,
];

const KEYS: readonly string[] = [
  ...POLLUTION_KEYS,
  "toString",
  "valueOf",
  "hasOwnProperty",
  "",
  " ",
  "\u0000",
  "\ud800",
  "a.b",
  "nodes[0]",
  "$where",
  "id",
  "type",
  "config",
  "inputs",
  "nodes",
  "edges",
  "entry",
  "version",
  "limits",
  "x".repeat(5000),
];

/** An own property, even for `__proto__` (plain assignment would set the prototype instead). */
function setOwn(target: Record<string, unknown>, key: string, value: unknown) {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function deep(r: Rng, depth: number, leaf: unknown): unknown {
  let v: unknown = leaf;
  const asArray = r.chance(0.5);
  for (let i = 0; i < depth; i++) v = asArray ? [v] : { a: v };
  return v;
}

/** A hostile JSON value. */
export function hostileValue(r: Rng, depth = 0): unknown {
  const roll = r.int(100);
  if (roll < 30) return r.pick(HOSTILE_STRINGS);
  if (roll < 40) return r.pick(NUMBERS);
  if (roll < 45) return r.pick([null, true, false]);
  if (roll < 50) return "x".repeat(r.pick([1_000, 65_536, 300_000]));
  if (roll < 57) return deep(r, r.pick([64, 200, 1_000, 3_000]), r.pick(HOSTILE_STRINGS));
  if (roll < 62) return Array.from({ length: r.pick([1_000, 20_000]) }, (_, i) => i);
  if (roll < 70) return pollution(r);
  if (depth > 3) return r.pick(HOSTILE_STRINGS);
  if (roll < 85) {
    const o: Record<string, unknown> = {};
    const n = 1 + r.int(4);
    for (let i = 0; i < n; i++) setOwn(o, r.pick(KEYS), hostileValue(r, depth + 1));
    return o;
  }
  return Array.from({ length: 1 + r.int(4) }, () => hostileValue(r, depth + 1));
}

/** `{"__proto__": {...}}`, `{"constructor": {"prototype": {...}}}` and friends. */
export function pollution(r: Rng): Record<string, unknown> {
  const payload = { polluted: "fuzz", isAdmin: true, status: "succeeded", toJSON: "x" };
  const o: Record<string, unknown> = {};
  switch (r.int(4)) {
    case 0:
      setOwn(o, "__proto__", payload);
      break;
    case 1:
      setOwn(o, "constructor", { prototype: payload });
      break;
    case 2: {
      const inner: Record<string, unknown> = {};
      setOwn(inner, "__proto__", payload);
      setOwn(o, "prototype", inner);
      break;
    }
    default: {
      const inner: Record<string, unknown> = {};
      setOwn(inner, "__proto__", { constructor: { prototype: payload } });
      setOwn(o, "constructor", inner);
    }
  }
  return o;
}

const BASE_DOCS = (): Record<string, unknown>[] => [
  structuredClone(SPEC_EXAMPLE) as unknown as Record<string, unknown>,
  chain(3, "fuzz"),
  fanOut("fuzz"),
  {
    version: "1",
    entry: "t",
    nodes: [
      { id: "t", type: "tool", name: "CSV", config: { text: "a,b\n1,2\n{{input.csv}}" } },
      {
        id: "r",
        type: "router",
        name: "Route",
        config: { rule: "len(text) > 3 ? 'x' : 'y'" },
        inputs: { text: "{{input.topic}}" },
      },
    ],
    edges: [{ from: "t", to: "r" }],
  },
];

/** Every (parent, key) pair in the top levels of a value, for picking a mutation point. */
function slots(value: unknown, out: [Record<string, unknown> | unknown[], string | number][] = [], depth = 0) {
  if (depth > 6) return out;
  if (Array.isArray(value)) {
    value.slice(0, 50).forEach((v, i) => {
      out.push([value, i]);
      slots(v, out, depth + 1);
    });
  } else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value).slice(0, 50)) {
      out.push([value as Record<string, unknown>, k]);
      slots(v, out, depth + 1);
    }
  }
  return out;
}

/** A valid workflow document with 1–3 hostile mutations. */
export function mutatedWorkflow(r: Rng): unknown {
  const doc = r.pick(BASE_DOCS());
  const mutations = 1 + r.int(3);
  for (let m = 0; m < mutations; m++) {
    const all = slots(doc);
    const [parent, key] = r.pick(all);
    const kind = r.int(6);
    if (kind <= 1) {
      (parent as Record<string | number, unknown>)[key] = hostileValue(r);
    } else if (kind === 2 && !Array.isArray(parent)) {
      delete (parent as Record<string, unknown>)[key as string];
    } else if (kind === 3 && !Array.isArray(parent)) {
      setOwn(parent as Record<string, unknown>, r.pick(KEYS), hostileValue(r));
    } else if (kind === 4 && Array.isArray(parent)) {
      // Duplicate an element (duplicate node ids, edges) many times.
      const copies = r.pick([1, 50, 500]);
      for (let i = 0; i < copies; i++) parent.push(structuredClone(parent[key as number]));
    } else {
      const current = (parent as Record<string | number, unknown>)[key];
      (parent as Record<string | number, unknown>)[key] =
        typeof current === "string"
          ? [current]
          : typeof current === "number"
            ? String(current)
            : JSON.stringify(current);
    }
  }
  return doc;
}

const HOSTILE_SEGMENTS: readonly string[] = [
  "%00",
  "%zz",
  "%c0%ae%c0%ae",
  "..%2f..%2fetc%2fpasswd",
  "%2e%2e",
  "__proto__",
  "constructor",
  "00000000-0000-0000-0000-000000000000",
  "00000000-0000-0000-0000-00000000000g",
  "ffffffff-ffff-ffff-ffff-ffffffffffff",
  "1",
  "-1",
  "9".repeat(5000),
  "%F0%9F%98%80",
  "%ED%A0%80", // an encoded lone surrogate
  "%FF%FE",
  "'%20OR%201=1",
  "a".repeat(8000),
];

const QUERY_VALUES: readonly string[] = [
  "0",
  "-1",
  "1.5",
  "1e3",
  "201",
  "1001",
  "NaN",
  "Infinity",
  "9".repeat(400),
  "",
  "%00",
  "%zz",
  "%ED%A0%80",
  "__proto__",
  "abc",
  "00000000-0000-0000-0000-000000000000",
  "%27%3B%20select%20pg_sleep(10)%3B%20--",
  "%25_%5C",
  "a".repeat(4000),
];

/** Percent-encode, spelling a lone surrogate as the (invalid) UTF-8 bytes a careless client sends. */
const enc = (s: string) =>
  Array.from(s, (ch) => (/^[\ud800-\udfff]$/.test(ch) ? "%ED%A0%80" : encodeURIComponent(ch))).join("");
const json = { "content-type": "application/json" };

function jsonBody(value: unknown): string {
  return JSON.stringify(value);
}

/** REST bodies and URLs. */
function restProbes(r: Rng, n: number, ids: Ids, runBudget: { left: number }): Probe[] {
  const out: Probe[] = [];
  for (let i = 0; i < n; i++) {
    const kind = r.int(10);
    if (kind <= 2) {
      const body = r.chance(0.2)
        ? hostileValue(r)
        : {
            name: r.chance(0.5) ? `fuzz ${i}` : hostileValue(r),
            ...(r.chance(0.5) ? { description: hostileValue(r) } : {}),
            graph_json: r.chance(0.7) ? mutatedWorkflow(r) : hostileValue(r),
            ...(r.chance(0.1) ? { [r.pick(KEYS)]: hostileValue(r) } : {}),
          };
      out.push({
        family: "rest",
        label: "POST /api/workflows",
        method: "POST",
        path: "/api/workflows",
        headers: json,
        body: jsonBody(body),
      });
    } else if (kind === 3) {
      const body: Record<string, unknown> = {};
      if (r.chance(0.5)) setOwn(body, "name", hostileValue(r));
      if (r.chance(0.5)) setOwn(body, "description", hostileValue(r));
      if (r.chance(0.6)) setOwn(body, "graph_json", r.chance(0.7) ? mutatedWorkflow(r) : hostileValue(r));
      if (r.chance(0.15)) setOwn(body, r.pick(KEYS), hostileValue(r));
      out.push({
        family: "rest",
        label: "PUT /api/workflows/:id",
        method: "PUT",
        path: `/api/workflows/${ids.scratchWorkflow}`,
        headers: json,
        body: jsonBody(r.chance(0.1) ? hostileValue(r) : body),
      });
    } else if (kind === 4) {
      const target = runBudget.left > 0 && r.chance(0.5) ? ids.runnableWorkflow : r.pick(HOSTILE_SEGMENTS);
      const body = r.chance(0.15)
        ? hostileValue(r)
        : {
            input_vars: r.chance(0.8)
              ? { topic: hostileValue(r), csv: hostileValue(r), ...pollution(r) }
              : hostileValue(r),
          };
      const startsRun = target === ids.runnableWorkflow;
      if (startsRun) runBudget.left--;
      out.push({
        family: "rest",
        label: "POST /api/workflows/:id/runs",
        method: "POST",
        path: `/api/workflows/${target}/runs`,
        headers: json,
        body: jsonBody(body),
        startsRun,
      });
    } else if (kind === 5) {
      const q = [
        `limit=${r.pick(QUERY_VALUES)}`,
        `cursor=${r.pick(QUERY_VALUES)}`,
        `search=${r.pick(QUERY_VALUES)}`,
        `${r.pick(QUERY_VALUES)}=${r.pick(QUERY_VALUES)}`,
      ]
        .filter(() => r.chance(0.6))
        .join("&");
      out.push({ family: "rest", label: "GET /api/workflows?…", method: "GET", path: `/api/workflows?${q}` });
    } else if (kind === 6) {
      const runId = r.chance(0.3) ? ids.finishedRun : r.pick(HOSTILE_SEGMENTS);
      const q = `after=${r.pick(QUERY_VALUES)}&limit=${r.pick(QUERY_VALUES)}`;
      out.push({
        family: "rest",
        label: "GET /api/runs/:id/trace?…",
        method: "GET",
        path: `/api/runs/${runId}/trace?${q}`,
      });
    } else if (kind === 7) {
      const seg = r.pick(HOSTILE_SEGMENTS);
      const route = r.pick([
        ["GET", `/api/workflows/${seg}`],
        ["DELETE", `/api/workflows/${seg}`],
        ["GET", `/api/runs/${seg}`],
        ["GET", `/api/runs/${ids.finishedRun}/steps/${seg}`],
        ["GET", `/api/runs/${seg}/steps/${seg}`],
        ["POST", `/api/runs/${seg}/cancel`],
        ["POST", `/api/runs/${ids.finishedRun}/cancel`],
        ["GET", `/api/runs/${seg}/stream`],
        ["GET", `/api/${seg}`],
        ["GET", `/api/workflows/${seg}/runs`],
      ] as const);
      out.push({
        family: "rest",
        label: `${route[0]} ${route[1].replace(seg, ":hostile")}`,
        method: route[0],
        path: route[1],
        ...(route[0] === "POST" ? { headers: json, body: r.chance(0.5) ? jsonBody(hostileValue(r)) : "" } : {}),
      });
    } else if (kind === 8) {
      // A finished run's stream ends after replaying; hostile resume points.
      const lastId = r.pick([...QUERY_VALUES, "-5", "1.5", "99999999999999999999", "\u00e9"]);
      out.push({
        family: "rest",
        label: "GET /api/runs/:id/stream (Last-Event-ID)",
        method: "GET",
        path: `/api/runs/${ids.finishedRun}/stream`,
        headers: {
          "last-event-id": Buffer.from(lastId, "latin1")
            .toString("latin1")
            .replace(/[^\x20-\x7e]/g, "?"),
        },
      });
    } else {
      const method = r.pick(["POST", "PUT"] as const);
      const path = method === "POST" ? "/api/workflows" : `/api/workflows/${ids.scratchWorkflow}`;
      out.push({
        family: "rest",
        label: `${method} ${path.replace(ids.scratchWorkflow, ":id")} (typed body)`,
        method,
        path,
        headers: json,
        body: jsonBody(
          r.pick([
            [],
            "x",
            1,
            null,
            true,
            { name: 1 },
            { graph_json: [] },
            { name: "a", graph_json: "{}" },
            { name: "a", graph_json: null },
          ]),
        ),
      });
    }
  }
  return out;
}

/** Workflow documents, through REST create and the GraphQL validate/create mutations. */
function workflowProbes(r: Rng, n: number): Probe[] {
  const out: Probe[] = [];
  for (let i = 0; i < n; i++) {
    const doc = mutatedWorkflow(r);
    const via = r.int(3);
    if (via === 0) {
      out.push({
        family: "workflow",
        label: "workflow → POST /api/workflows",
        method: "POST",
        path: "/api/workflows",
        headers: json,
        body: jsonBody({ name: `wf ${i}`, graph_json: doc }),
      });
    } else if (via === 1) {
      out.push({
        family: "workflow",
        label: "workflow → validateWorkflow",
        method: "POST",
        path: "/graphql",
        headers: json,
        body: jsonBody({
          query: "query($g: JSON!) { validateWorkflow(graph: $g) { path message } }",
          variables: { g: doc },
        }),
      });
    } else {
      out.push({
        family: "workflow",
        label: "workflow → createWorkflow",
        method: "POST",
        path: "/graphql",
        headers: json,
        body: jsonBody({ query: CREATE, variables: { input: { name: `wf ${i}`, graph: doc } } }),
      });
    }
  }
  return out;
}

const CREATE = `mutation Create($input: WorkflowInput!) { createWorkflow(input: $input) { __typename ... on ValidationError { issues { path message } } ... on Workflow { id nodeCount } } }`;

const GRAPHQL_DOCS: readonly { query: string; vars: (r: Rng, ids: Ids) => Record<string, unknown> }[] = [
  {
    query: CREATE,
    vars: (r) => ({
      input: r.chance(0.5)
        ? hostileValue(r)
        : {
            name: hostileValue(r),
            graph: r.chance(0.5) ? mutatedWorkflow(r) : hostileValue(r),
            description: hostileValue(r),
          },
    }),
  },
  {
    query: `mutation Update($id: ID!, $input: WorkflowUpdateInput!) { updateWorkflow(id: $id, input: $input) { __typename ... on ValidationError { issues { path message } } ... on NotFoundError { message } } }`,
    vars: (r, ids) => ({
      id: r.chance(0.6) ? ids.scratchWorkflow : hostileValue(r),
      input: r.chance(0.3) ? hostileValue(r) : { name: hostileValue(r), graph: mutatedWorkflow(r) },
    }),
  },
  {
    query: `query V($g: JSON!) { validateWorkflow(graph: $g) { path message } }`,
    vars: (r) => ({ g: hostileValue(r) }),
  },
  {
    query: `mutation Start($id: ID!, $v: JSON) { startRun(workflowId: $id, inputVars: $v) { __typename ... on NotFoundError { message } ... on ValidationError { issues { path message } } } }`,
    vars: (r) => ({ id: hostileValue(r), v: hostileValue(r) }),
  },
  {
    query: `mutation Cancel($id: ID!) { cancelRun(runId: $id) { __typename } }`,
    vars: (r, ids) => ({ id: r.chance(0.3) ? ids.finishedRun : hostileValue(r) }),
  },
  {
    query: `mutation Del($id: ID!) { deleteWorkflow(id: $id) { __typename } }`,
    vars: (r) => ({ id: hostileValue(r) }),
  },
  {
    query: `mutation Bind($w: ID!, $p: String!, $m: String!, $t: Float) { setProviderBinding(workflowId: $w, provider: $p, model: $m, temperature: $t) { __typename } }`,
    vars: (r, ids) => ({
      w: r.chance(0.5) ? ids.scratchWorkflow : hostileValue(r),
      p: hostileValue(r),
      m: hostileValue(r),
      t: hostileValue(r),
    }),
  },
  {
    query: `query W($first: Int, $after: String, $last: Int, $before: String, $s: String) { workflows(first: $first, after: $after, last: $last, before: $before, search: $s) { edges { cursor node { id name nodeCount lastRun { id status } } } pageInfo { hasNextPage endCursor } } }`,
    vars: (r) => ({
      first: hostileValue(r),
      after: hostileValue(r),
      last: r.chance(0.3) ? hostileValue(r) : null,
      before: r.chance(0.3) ? hostileValue(r) : null,
      s: hostileValue(r),
    }),
  },
  {
    query: `query R($id: ID!, $a: Int, $f: Int, $after: String) { run(id: $id) { id status totalCostCents steps { id nodeId output } events(afterSeq: $a, first: $f, after: $after) { edges { node { seq kind } } } } }`,
    vars: (r, ids) => ({
      id: r.chance(0.5) ? ids.finishedRun : hostileValue(r),
      a: hostileValue(r),
      f: hostileValue(r),
      after: hostileValue(r),
    }),
  },
  {
    query: `query Runs($w: ID, $s: RunStatus, $first: Int) { runs(workflowId: $w, status: $s, first: $first) { edges { node { id status } } } }`,
    vars: (r) => ({
      w: hostileValue(r),
      s: r.chance(0.5) ? r.pick(["queued", "RUNNING", "succeeded", "__proto__", ""]) : hostileValue(r),
      first: hostileValue(r),
    }),
  },
  {
    query: `query One($id: ID!) { workflow(id: $id) { id graphJson runs(first: 3) { edges { node { id } } } providerBindings { id } } }`,
    vars: (r, ids) => ({ id: r.chance(0.3) ? ids.runnableWorkflow : hostileValue(r) }),
  },
  {
    query: `{ version { version } providers { name } pricing { asOf } }`,
    vars: (r) => (r.chance(0.5) ? (hostileValue(r) as Record<string, unknown>) : {}),
  },
];

const GRAPHQL_TOKENS: readonly string[] = [
  "{",
  "}",
  "(",
  ")",
  "[",
  "]",
  "...",
  "$",
  ":",
  "!",
  "=",
  "@include(if: $x)",
  "@skip",
  '"',
  '"""',
  "#",
  "__typename",
  "__schema { types { name } }",
  "fragment F on Query { ...F }",
  "...F",
  "query",
  "mutation",
  "subscription",
  "on",
  "\u0000",
  "\ud800",
  "\\u0000",
  '"\\ud800"',
  "9".repeat(400),
  "1e999",
  "$input",
  "workflows",
  'runEvents(runId: "x") { seq }',
];

/** GraphQL documents, variables and envelopes. */
function graphqlProbes(r: Rng, n: number, ids: Ids): Probe[] {
  const out: Probe[] = [];
  const post = (label: string, body: string | Buffer, headers: Record<string, string> = json): Probe => ({
    family: "graphql",
    label,
    method: "POST",
    path: "/graphql",
    headers,
    body,
  });
  for (let i = 0; i < n; i++) {
    const d = r.pick(GRAPHQL_DOCS);
    const kind = r.int(10);
    if (kind <= 3) {
      out.push(post("graphql variables", jsonBody({ query: d.query, variables: d.vars(r, ids) })));
    } else if (kind <= 6) {
      // Mangle the document text: drop, duplicate or insert tokens and spans.
      let q = d.query;
      const edits = 1 + r.int(4);
      for (let e = 0; e < edits; e++) {
        const at = r.int(q.length + 1);
        const op = r.int(4);
        if (op === 0) q = q.slice(0, at) + q.slice(at + 1 + r.int(20));
        else if (op === 1) q = q.slice(0, at) + r.pick(GRAPHQL_TOKENS) + q.slice(at);
        else if (op === 2) q = q.slice(0, at) + q.slice(at, at + 30).repeat(r.pick([2, 50, 2000])) + q.slice(at);
        else q = q.slice(0, at) + JSON.stringify(r.pick(HOSTILE_STRINGS)) + q.slice(at);
      }
      out.push(
        post(
          "graphql document (mangled)",
          jsonBody({ query: q, variables: r.chance(0.5) ? d.vars(r, ids) : undefined }),
        ),
      );
    } else if (kind === 7) {
      const envelope = r.pick([
        () => hostileValue(r),
        () => ({ query: hostileValue(r) }),
        () => ({ query: d.query, variables: r.pick(["{}", "x", [], 1, null, pollution(r)]) }),
        () => ({ query: d.query, variables: d.vars(r, ids), operationName: hostileValue(r) }),
        () => ({
          query: d.query,
          variables: d.vars(r, ids),
          extensions: r.chance(0.5) ? { persistedQuery: { version: 1, sha256Hash: hostileValue(r) } } : hostileValue(r),
        }),
        () => Array.from({ length: r.pick([2, 50]) }, () => ({ query: d.query, variables: d.vars(r, ids) })),
        () => ({ query: `{ ${"workflows(first: 1) { edges { node { id } } } ".repeat(r.pick([2, 200]))} }` }),
        () => ({ query: `{ ${Array.from({ length: r.pick([10, 3000]) }, (_, k) => `a${k}: __typename`).join(" ")} }` }),
        () => ({
          query: `query { ${'workflow(id: "x") { runs { edges { node { steps { events { runId } } } } } } '.repeat(1)}${"{ ".repeat(0)}}`,
        }),
        () => ({ query: `${"{ __typename ".repeat(r.pick([50, 5000]))}${"}".repeat(r.pick([0, 50, 5000]))}` }),
        () => ({ query: `subscription { runEvents(runId: ${JSON.stringify(r.pick(HOSTILE_STRINGS))}) { seq } }` }),
      ] as const)();
      out.push(post("graphql envelope", jsonBody(envelope)));
    } else if (kind === 8) {
      const query = r.chance(0.7) ? d.query : r.pick(GRAPHQL_TOKENS);
      const vars = r.chance(0.5) ? enc(JSON.stringify(d.vars(r, ids))).slice(0, 6000) : r.pick(QUERY_VALUES);
      out.push({
        family: "graphql",
        label: "GET /graphql?query=…",
        method: "GET",
        path: `/graphql?query=${enc(query)}&variables=${vars}${r.chance(0.2) ? `&operationName=${r.pick(QUERY_VALUES)}` : ""}`,
        headers: { accept: "application/json" },
      });
    } else {
      // Right document, wrong encodings.
      const body = jsonBody({ query: d.query, variables: d.vars(r, ids) });
      const variant = r.int(5);
      if (variant === 0) out.push(post("graphql as text/plain", body, { "content-type": "text/plain" }));
      else if (variant === 1)
        out.push(
          post("graphql as form", `query=${enc(d.query)}&variables=${enc("{")}`, {
            "content-type": "application/x-www-form-urlencoded",
          }),
        );
      else if (variant === 2)
        out.push(post("graphql as application/graphql", d.query, { "content-type": "application/graphql" }));
      else if (variant === 3) out.push(post("graphql with BOM", `\ufeff${body}`));
      else
        out.push(
          post(
            "graphql multipart junk",
            `--x\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${body}\r\n--x--`,
            { "content-type": "multipart/form-data; boundary=x" },
          ),
        );
    }
  }
  return out;
}

/** Malformed bytes and framing on the two POST edges. */
function rawProbes(r: Rng, n: number): Probe[] {
  const bodies: (() => string | Buffer)[] = [
    () => Buffer.from([0xff, 0xfe, 0xfd, 0xc0, 0xaf, 0xed, 0xa0, 0x80]),
    () =>
      Buffer.concat([
        Buffer.from('{"name":"'),
        Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xf0, 0x28, 0x8c, 0xbc]),
        Buffer.from('","graph_json":{}}'),
      ]),
    () => '{"name":"a","graph_json":{"version":"1"',
    () => '{"name":"a"}{"name":"b"}',
    () => '{"name":"a","name":{"x":1},"graph_json":{"version":"1","version":2}}',
    () => '{"name":"a","graph_json":{"nodes":[1e999,-1e999,1e-999]}}',
    () => `{"query":"{ version { version } }","variables":{"x":${"1".repeat(2000)}}}`,
    () => "[".repeat(r.pick([1_000, 100_000, 500_000])),
    () => `${"[".repeat(50_000)}${"]".repeat(50_000)}`,
    () => `{"name":"deep","graph_json":${'{"a":'.repeat(r.pick([1_000, 20_000]))}1${"}".repeat(20_000)}}`,
    () => `{"query":"{ version { version } }","variables":${'{"a":'.repeat(20_000)}1${"}".repeat(20_000)}}`,
    () => `{"name":"${"\\u0000".repeat(1000)}","graph_json":{}}`,
    () => `{"name":"\\ud800\\udbff","graph_json":{"version":"1","entry":"\\udfff"}}`,
    () => '{"__proto__":{"polluted":"fuzz"},"name":"p","graph_json":{"__proto__":{"polluted":"fuzz"}}}',
    () => '{"constructor":{"prototype":{"polluted":"fuzz"}}}',
    () => `{"name":"${"x".repeat(1024 * 1024 - 40)}"}`,
    () => "",
    () => " ",
    () => "null",
    () => "\u0000",
    () => "{",
    () => '"',
    () => "undefined",
    () => "NaN",
    () => "{'name': 'single quotes'}",
    () => '{"name":"a",}',
    () => "\ufeff{}",
  ];
  const types = [
    "application/json",
    "application/json; charset=utf-16",
    "text/plain",
    "",
    "application/x-www-form-urlencoded",
    "multipart/form-data",
    "application/json; charset=\u00ff",
  ];
  const out: Probe[] = [];
  for (let i = 0; i < n; i++) {
    const body = r.pick(bodies)();
    const path = r.pick(["/api/workflows", "/graphql", "/api/workflows/00000000-0000-0000-0000-000000000000/runs"]);
    const type = r.chance(0.7) ? "application/json" : r.pick(types);
    out.push({
      family: "raw",
      label: `raw → ${path}`,
      method: "POST",
      path,
      headers: type ? { "content-type": type.replace(/[^\x20-\x7e]/g, "?") } : {},
      body,
    });
  }
  return out;
}

export interface Ids {
  /** A workflow the corpus may update. */
  scratchWorkflow: string;
  /** A valid, cheap workflow runs may be started on. */
  runnableWorkflow: string;
  finishedRun: string;
}

export interface CorpusSize {
  rest: number;
  graphql: number;
  workflow: number;
  raw: number;
  /** Most runs the corpus may start. */
  runs: number;
}

export function buildCorpus(seed: number, ids: Ids, size: CorpusSize): Probe[] {
  const r = rng(seed);
  const runBudget = { left: size.runs };
  const probes = [
    ...restProbes(r, size.rest, ids, runBudget),
    ...graphqlProbes(r, size.graphql, ids),
    ...workflowProbes(r, size.workflow),
    ...rawProbes(r, size.raw),
  ];
  // Interleave families, so a slow family does not hide behind another.
  for (let i = probes.length - 1; i > 0; i--) {
    const j = r.int(i + 1);
    [probes[i], probes[j]] = [probes[j] as Probe, probes[i] as Probe];
  }
  return probes;
}
