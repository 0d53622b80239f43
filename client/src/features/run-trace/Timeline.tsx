/**
 * The live timeline: one row per trace event, virtualised (smooth with 10,000+ events). It follows
 * new events unless the user has scrolled up; "Jump to latest" brings it back.
 */
import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useRef, useState } from "react";
import { describeEvent, type TraceEventView } from "./model.ts";

const ROW = 28;

export function Timeline(props: {
  events: TraceEventView[];
  nodeOf: Map<string, string>;
  selectedStepId: string | null;
  onSelectStep: (stepId: string) => void;
}) {
  const parentRef = useRef<HTMLDivElement>(null);
  const [follow, setFollow] = useState(true);
  const virtualizer = useVirtualizer({
    count: props.events.length,
    getScrollElement: () => parentRef.current,
    estimateSize: () => ROW,
    overscan: 20,
    initialRect: { width: 600, height: 400 },
  });

  useEffect(() => {
    if (follow && props.events.length > 0) virtualizer.scrollToIndex(props.events.length - 1, { align: "end" });
  }, [props.events.length, follow, virtualizer]);

  return (
    <section className="timeline" aria-label="Timeline">
      <div className="pane-title">
        <h2>Timeline</h2>
        <span className="muted">{props.events.length.toLocaleString("en-US")} events</span>
        {!follow && (
          <button type="button" className="link" onClick={() => setFollow(true)}>
            Jump to latest
          </button>
        )}
      </div>
      {props.events.length === 0 ? (
        <p className="muted empty">Waiting for the first event…</p>
      ) : (
        <div
          ref={parentRef}
          className="timeline-scroll"
          data-testid="timeline"
          onScroll={(e) => {
            const el = e.currentTarget;
            setFollow(el.scrollHeight - el.scrollTop - el.clientHeight < ROW * 2);
          }}
        >
          <ol style={{ height: virtualizer.getTotalSize(), position: "relative", margin: 0, padding: 0 }}>
            {virtualizer.getVirtualItems().map((item) => {
              const e = props.events[item.index] as TraceEventView;
              return (
                <TimelineRow
                  key={e.seq}
                  event={e}
                  top={item.start}
                  selected={e.stepId !== null && e.stepId === props.selectedStepId}
                  nodeOf={props.nodeOf}
                  onSelectStep={props.onSelectStep}
                />
              );
            })}
          </ol>
        </div>
      )}
    </section>
  );
}

function TimelineRow(props: {
  event: TraceEventView;
  top: number;
  selected: boolean;
  nodeOf: Map<string, string>;
  onSelectStep: (stepId: string) => void;
}) {
  const e = props.event;
  return (
    <li
      data-seq={e.seq}
      data-kind={e.kind}
      className={`timeline-row kind-${e.kind.replace(".", "-")}${props.selected ? " selected" : ""}`}
      style={{ position: "absolute", top: 0, left: 0, right: 0, height: ROW, transform: `translateY(${props.top}px)` }}
    >
      <button
        type="button"
        disabled={!e.stepId}
        onClick={() => e.stepId && props.onSelectStep(e.stepId)}
        title={e.kind}
      >
        <span className="seq">#{e.seq}</span>
        <time>{e.ts.slice(11, 23)}</time>
        <span className="kind">{e.kind}</span>
        <span className="text">{describeEvent(e, props.nodeOf)}</span>
      </button>
    </li>
  );
}
