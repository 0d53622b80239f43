import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { type Client, CombinedError, type Operation, Provider as UrqlProvider } from "urql";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fromValue } from "wonka";
import { formatCents } from "../../lib/format.ts";
import { buildRunView } from "./model.ts";
import { StepDetail } from "./StepDetail.tsx";
import { Timeline } from "./Timeline.tsx";
import { ev } from "./test-events.ts";

const events = [
  ev(1, "run.started", null, { simulated: true }),
  ev(2, "step.started", "s1", { nodeId: "summarize" }),
  ev(3, "llm.request", "s1", {
    provider: "openai",
    model: "gpt-4o-mini",
    attempt: 1,
    system: "Be concise",
    prompt: "Summarise Q3",
  }),
  ev(4, "retry", "s1", {
    provider: "openai",
    model: "gpt-4o-mini",
    attempt: 1,
    kind: "rate_limited",
    message: "openai answered 429",
    willRetry: true,
    delayMs: 1000,
    partialText: "Q3 rev",
  }),
  ev(5, "llm.response", "s1", {
    provider: "openai",
    model: "gpt-4o-mini",
    attempt: 2,
    latencyMs: 420,
    text: "Revenue grew",
    usage: { outputTokens: 3 },
  }),
  ev(6, "step.finished", "s1", {
    nodeId: "summarize",
    latencyMs: 1500,
    tokensInput: 12,
    tokensOutput: 3,
    costCents: "0.00036",
    output: "Revenue grew",
  }),
];

describe("Timeline", () => {
  it("renders a row per event and selects the step of a row", () => {
    const onSelect = vi.fn();
    const view = buildRunView([{ id: "s1", nodeId: "summarize", status: "queued" }], events);
    render(<Timeline events={events} nodeOf={view.nodeOf} selectedStepId={null} onSelectStep={onSelect} />);
    expect(screen.getByText("6 events")).toBeTruthy();
    expect(screen.getByText("summarize: attempt 1 failed (rate_limited), retrying in 1000 ms")).toBeTruthy();
    fireEvent.click(screen.getByText("summarize: → openai/gpt-4o-mini (attempt 1)"));
    expect(onSelect).toHaveBeenCalledWith("s1");
  });

  it("virtualises: 10,000 events render only a window of rows", () => {
    const many = Array.from({ length: 10_000 }, (_, i) => ev(i + 1, "log", null, { level: "info", message: `m${i}` }));
    const { container } = render(
      <Timeline events={many} nodeOf={new Map()} selectedStepId={null} onSelectStep={() => {}} />,
    );
    expect(screen.getByText("10,000 events")).toBeTruthy();
    expect(container.querySelectorAll("li.timeline-row").length).toBeLessThan(200);
  });

  it("has an empty state", () => {
    render(<Timeline events={[]} nodeOf={new Map()} selectedStepId={null} onSelectStep={() => {}} />);
    expect(screen.getByText("Waiting for the first event…")).toBeTruthy();
  });
});

describe("StepDetail", () => {
  it("shows tokens, cost, latency, prompt, output, attempts with their errors, and raw JSON", () => {
    const view = buildRunView([{ id: "s1", nodeId: "summarize", status: "queued" }], events);
    render(<StepDetail step={view.steps.get("summarize") ?? null} />);
    expect(screen.getByTestId("tokens-in").textContent).toBe("12");
    expect(screen.getByTestId("tokens-out").textContent).toBe("3");
    expect(screen.getByTestId("step-cost").textContent).toBe(formatCents("0.00036"));
    expect(screen.getByTestId("step-latency").textContent).toBe("1.50 s");
    expect(screen.getByTestId("step-prompt").textContent).toBe("Summarise Q3");
    expect(screen.getByTestId("step-output").textContent).toBe("Revenue grew");
    expect(screen.getByText(/openai\/gpt-4o-mini #1: openai answered 429/)).toBeTruthy();
    expect(screen.getByText(/partial: “Q3 rev/)).toBeTruthy();
    fireEvent.click(screen.getByRole("tab", { name: "Raw JSON" }));
    expect(screen.getByTestId("step-raw").textContent).toContain('"llm.response"');
  });

  it("says when a model has no price instead of showing 0", () => {
    const view = buildRunView(
      [{ id: "s1", nodeId: "x", status: "queued" }],
      [ev(1, "step.finished", "s1", { nodeId: "x", costCents: null, tokensInput: 1, tokensOutput: 1, latencyMs: 5 })],
    );
    render(<StepDetail step={view.steps.get("x") ?? null} />);
    expect(screen.getByTestId("step-cost").textContent).toBe("unknown price");
  });

  it("marks estimated usage with ~ and says why, and shows reasoning tokens", () => {
    cleanup();
    const view = buildRunView(
      [{ id: "s1", nodeId: "x", status: "queued" }],
      [
        ev(1, "step.finished", "s1", {
          nodeId: "x",
          costCents: "0.0123",
          tokensInput: 1234,
          tokensOutput: 80,
          tokensReasoning: 64,
          usageSource: "estimated",
          latencyMs: 5,
        }),
      ],
    );
    render(<StepDetail step={view.steps.get("x") ?? null} />);
    expect(screen.getByTestId("tokens-in").textContent).toBe("~1,234");
    expect(screen.getByTestId("tokens-out").textContent).toBe("~80");
    expect(screen.getByTestId("step-cost").textContent).toBe(`~${formatCents("0.0123")}`);
    expect(screen.getByTestId("usage-estimated").textContent).toMatch(/estimated — the provider reported none/);
    expect(screen.getByTestId("tokens-reasoning").textContent).toBe("64");
  });

  it("prompts for a selection when none is made", () => {
    render(<StepDetail step={null} />);
    expect(screen.getByText(/Select a node or a timeline row/)).toBeTruthy();
  });

  describe("an output the trace holds only the start of", () => {
    afterEach(cleanup);
    const FULL = "word ".repeat(30_000); // 150,000 characters
    const cutView = (output: unknown, originalLength: number) =>
      buildRunView(
        [{ id: "s9", nodeId: "long", status: "queued" }],
        [
          ev(1, "step.finished", "s9", {
            nodeId: "long",
            output,
            tokensInput: 1,
            tokensOutput: 1,
            latencyMs: 5,
            truncated: [{ field: "output", originalLength }],
          }),
        ],
      ).steps.get("long") ?? null;
    // A urql client answering the step query the way the server does; it counts what it is asked.
    const answering = (answer: (id: string) => { data?: unknown; error?: CombinedError }) => {
      const asked: string[] = [];
      const client = {
        executeQuery: (op: Operation) => {
          asked.push(String(op.variables?.id));
          return fromValue({ operation: op, stale: false, hasNext: false, ...answer(String(op.variables?.id)) });
        },
      } as unknown as Client;
      return { client, asked };
    };

    it("says it was cut and loads the full value from the step only when asked", async () => {
      const { client, asked } = answering((id) => ({ data: { step: { __typename: "Step", id, output: FULL } } }));
      render(
        <UrqlProvider value={client}>
          <StepDetail step={cutView(`${FULL.slice(0, 65_536)}… [truncated by FlowTrace]`, FULL.length)} />
        </UrqlProvider>,
      );
      expect(screen.getByTestId("output-cut").textContent).toMatch(
        /first 64 KiB of this output \(150,000 characters in all\)/,
      );
      expect(screen.getByTestId("step-output").textContent).toMatch(/truncated by FlowTrace\]$/);
      expect(asked).toEqual([]);
      fireEvent.click(screen.getByRole("button", { name: "Load full output" }));
      await waitFor(() => expect(screen.getByTestId("step-output").textContent).toBe(FULL));
      expect(asked).toEqual(["s9"]);
      expect(screen.getByTestId("output-cut").textContent).toBe("Full output: 150,000 characters.");
    });

    it("shows the preview of cut JSON, and says when the step is gone or the request failed", async () => {
      const gone = answering(() => ({ data: { step: null } }));
      const { unmount } = render(
        <UrqlProvider value={gone.client}>
          <StepDetail step={cutView({ $truncated: true, originalLength: 90_000, preview: '{"rows":[1,2' }, 90_000)} />
        </UrqlProvider>,
      );
      expect(screen.getByTestId("step-output").textContent).toBe('{"rows":[1,2…');
      fireEvent.click(screen.getByRole("button", { name: "Load full output" }));
      await screen.findByText("This step no longer exists.");
      expect(screen.getByTestId("step-output").textContent).toBe('{"rows":[1,2…');
      unmount();

      const failing = answering(() => ({
        error: new CombinedError({ networkError: new Error("connection refused") }),
      }));
      render(
        <UrqlProvider value={failing.client}>
          <StepDetail step={cutView("start… [truncated by FlowTrace]", 70_000)} />
        </UrqlProvider>,
      );
      fireEvent.click(screen.getByRole("button", { name: "Load full output" }));
      await screen.findByText(/Could not load the full output: .*connection refused/);
      expect(screen.getByRole("button", { name: "Try again" })).toBeTruthy();
    });
  });
});

describe("formatCents", () => {
  it("never uses exponent notation and keeps tiny amounts readable", () => {
    expect(formatCents("0.00378")).toBe("$0.0000378");
    expect(formatCents("12.5")).toBe("$0.1250");
    expect(formatCents("0")).toBe("$0");
    expect(formatCents(null)).toBe("—");
  });
});
