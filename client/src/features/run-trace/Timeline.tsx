/**
 * The live timeline: one row per trace event, virtualised (smooth with 10,000+ events). Filters by
 * kind, step, errors only and a search in payloads; `#seq=17` opens the run scrolled to event 17;
 * j/k move through the rows and Enter opens the row's step; each event's JSON can be copied. It
 * follows new events unless the user has scrolled up or filtered; "Jump to latest" brings it back.
 */
import { useVirtualizer } from "@tanstack/react-virtual";
import { type KeyboardEvent, useEffect, useMemo, useRef, useState } from "react";
import { CopyButton } from "../../components/CopyButton.tsx";
import { describeEvent, type TraceEventView } from "./model.ts";
import { filterEvents, NO_FILTER, seqFromHash, type TimelineFilter } from "./timeline-filter.ts";

const ROW = 28;

export function Timeline(props: {
  events: TraceEventView[];
  nodeOf: Map<string, string>;
  selectedStepId: string | null;
  onSelectStep: (stepId: string) => void;
}) {
  const [filter, setFilter] = useState<TimelineFilter>(NO_FILTER);
  const shown = useMemo(() => filterEvents(props.events, filter), [props.events, filter]);
  const parentRef = useRef<HTMLElement>(null);
  const [follow, setFollow] = useState(() => seqFromHash(window.location.hash) === null);
  const [active, setActive] = useState<number | null>(() => seqFromHash(window.location.hash));
  const virtualizer = useVirtualizer({
    count: shown.length,
    getScrollElement: () => parentRef.current,
    estimateSize: () => ROW,
    overscan: 20,
    initialRect: { width: 600, height: 400 },
  });
  useFollow(follow, shown.length, virtualizer);
  useDeepLink(active, shown, virtualizer, () => setFollow(false));

  const { open, onKeyDown } = useKeyboard(
    shown,
    active,
    setActive,
    () => setFollow(false),
    virtualizer,
    props.onSelectStep,
  );

  return (
    <section className="timeline" aria-label="Timeline">
      <TimelineTitle
        shown={shown.length}
        total={props.events.length}
        canJump={!follow && filter === NO_FILTER}
        onJump={() => setFollow(true)}
      />
      <TimelineFilters events={props.events} nodeOf={props.nodeOf} filter={filter} onChange={setFilter} />
      {props.events.length === 0 ? (
        <p className="muted empty">Waiting for the first event…</p>
      ) : shown.length === 0 ? (
        <p className="muted empty">No event matches these filters.</p>
      ) : (
        <TimelineRows
          scrollRef={parentRef}
          shown={shown}
          virtualizer={virtualizer}
          active={active}
          selectedStepId={props.selectedStepId}
          nodeOf={props.nodeOf}
          onOpen={open}
          onKeyDown={onKeyDown}
          onScrolled={setFollow}
        />
      )}
    </section>
  );
}

type Virtualizer = ReturnType<typeof useVirtualizer<HTMLElement, Element>>;

/** The scrolling list: a focusable region (axe: scrollable-region-focusable) that takes j/k/Enter. */
function TimelineRows(props: {
  scrollRef: React.RefObject<HTMLElement | null>;
  shown: TraceEventView[];
  virtualizer: Virtualizer;
  active: number | null;
  selectedStepId: string | null;
  nodeOf: Map<string, string>;
  onOpen: (e: TraceEventView) => void;
  onKeyDown: (e: KeyboardEvent) => void;
  /** Whether the list is scrolled to its end (so it should follow new events). */
  onScrolled: (atEnd: boolean) => void;
}) {
  const { virtualizer } = props;
  return (
    <section
      ref={props.scrollRef}
      className="timeline-scroll"
      data-testid="timeline"
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be focusable (axe)
      tabIndex={0}
      aria-label="Events (j/k to move, Enter to open the step)"
      onKeyDown={props.onKeyDown}
      onScroll={(e) => {
        const el = e.currentTarget;
        props.onScrolled(el.scrollHeight - el.scrollTop - el.clientHeight < ROW * 2);
      }}
    >
      <ol style={{ height: virtualizer.getTotalSize(), position: "relative", margin: 0, padding: 0 }}>
        {virtualizer.getVirtualItems().map((item) => {
          const e = props.shown[item.index] as TraceEventView;
          return (
            <TimelineRow
              key={e.seq}
              event={e}
              top={item.start}
              active={e.seq === props.active}
              selected={e.stepId !== null && e.stepId === props.selectedStepId}
              nodeOf={props.nodeOf}
              onOpen={props.onOpen}
            />
          );
        })}
      </ol>
    </section>
  );
}

function useFollow(follow: boolean, count: number, virtualizer: { scrollToIndex(i: number, o: object): void }) {
  useEffect(() => {
    if (follow && count > 0) virtualizer.scrollToIndex(count - 1, { align: "end" });
  }, [count, follow, virtualizer]);
}

/** j/k move the active row, Enter opens its step; opening a row also makes it the `#seq=` link. */
function useKeyboard(
  shown: TraceEventView[],
  active: number | null,
  setActive: (seq: number) => void,
  stopFollowing: () => void,
  virtualizer: { scrollToIndex(i: number, o: object): void },
  onSelectStep: (stepId: string) => void,
) {
  const move = (delta: number) => {
    const at = shown.findIndex((e) => e.seq === active);
    const next = shown[Math.max(0, Math.min(shown.length - 1, at < 0 ? 0 : at + delta))];
    if (!next) return;
    stopFollowing();
    setActive(next.seq);
    virtualizer.scrollToIndex(shown.indexOf(next), { align: "auto" });
  };
  const open = (e: TraceEventView) => {
    setActive(e.seq);
    window.history.replaceState(null, "", `#seq=${e.seq}`);
    if (e.stepId) onSelectStep(e.stepId);
  };
  const onKeyDown = (k: KeyboardEvent) => {
    if (k.target instanceof HTMLInputElement || k.target instanceof HTMLSelectElement) return;
    const current = shown.find((x) => x.seq === active);
    if (k.key === "j") move(1);
    else if (k.key === "k") move(-1);
    else if (k.key === "Enter" && current && !(k.target instanceof HTMLButtonElement)) open(current);
    else return;
    k.preventDefault();
  };
  return { open, onKeyDown };
}

/** Scrolls once to the event a `#seq=N` link names, as soon as it has arrived. */
function useDeepLink(
  seq: number | null,
  shown: TraceEventView[],
  virtualizer: { scrollToIndex(i: number, o: object): void },
  stopFollowing: () => void,
) {
  const done = useRef(false);
  useEffect(() => {
    if (done.current || seq === null) return;
    const index = shown.findIndex((e) => e.seq === seq);
    if (index < 0) return;
    done.current = true;
    stopFollowing();
    virtualizer.scrollToIndex(index, { align: "center" });
  }, [seq, shown, virtualizer, stopFollowing]);
}

function TimelineFilters(props: {
  events: TraceEventView[];
  nodeOf: Map<string, string>;
  filter: TimelineFilter;
  onChange: (f: TimelineFilter) => void;
}) {
  const kinds = useMemo(() => [...new Set(props.events.map((e) => e.kind))].sort(), [props.events]);
  const steps = [...props.nodeOf.entries()];
  const set = (patch: Partial<TimelineFilter>) => props.onChange({ ...props.filter, ...patch });
  return (
    <div className="timeline-filters">
      <input
        type="search"
        aria-label="Search events"
        placeholder="Search payloads…"
        value={props.filter.query}
        onChange={(e) => set({ query: e.target.value })}
      />
      <select aria-label="Event kind" value={props.filter.kind} onChange={(e) => set({ kind: e.target.value })}>
        <option value="">All kinds</option>
        {kinds.map((k) => (
          <option key={k}>{k}</option>
        ))}
      </select>
      <select aria-label="Step" value={props.filter.stepId} onChange={(e) => set({ stepId: e.target.value })}>
        <option value="">All steps</option>
        {steps.map(([stepId, nodeId]) => (
          <option key={stepId} value={stepId}>
            {nodeId}
          </option>
        ))}
      </select>
      <label>
        <input
          type="checkbox"
          checked={props.filter.errorsOnly}
          onChange={(e) => set({ errorsOnly: e.target.checked })}
        />
        Errors only
      </label>
    </div>
  );
}

function TimelineRow(props: {
  event: TraceEventView;
  top: number;
  active: boolean;
  selected: boolean;
  nodeOf: Map<string, string>;
  onOpen: (e: TraceEventView) => void;
}) {
  const e = props.event;
  return (
    <li
      data-seq={e.seq}
      data-kind={e.kind}
      aria-current={props.active ? "true" : undefined}
      className={`timeline-row kind-${e.kind.replace(".", "-")}${props.selected ? " selected" : ""}${props.active ? " active" : ""}`}
      style={{ position: "absolute", top: 0, left: 0, right: 0, height: ROW, transform: `translateY(${props.top}px)` }}
    >
      <button type="button" onClick={() => props.onOpen(e)} title={e.kind}>
        <span className="seq">#{e.seq}</span>
        <time>{e.ts.slice(11, 23)}</time>
        <span className="kind">{e.kind}</span>
        <span className="text">{describeEvent(e, props.nodeOf)}</span>
      </button>
      <CopyButton text={() => JSON.stringify(e, null, 2)} label={`Copy event ${e.seq} as JSON`} />
    </li>
  );
}

function TimelineTitle(props: { shown: number; total: number; canJump: boolean; onJump: () => void }) {
  const n = (x: number) => x.toLocaleString("en-US");
  return (
    <div className="pane-title">
      <h2>Timeline</h2>
      <span className="muted" data-testid="timeline-count">
        {props.shown === props.total ? `${n(props.total)} events` : `${n(props.shown)} of ${n(props.total)} events`}
      </span>
      {props.canJump && (
        <button type="button" className="link" onClick={props.onJump}>
          Jump to latest
        </button>
      )}
    </div>
  );
}
