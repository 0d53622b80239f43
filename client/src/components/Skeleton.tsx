/** Loading placeholders shaped like what will appear, instead of blank panes. */
const WIDTHS = ["90%", "75%", "60%"];

export function Skeleton(props: { lines?: number; height?: number; label?: string }) {
  const lines = Array.from({ length: props.lines ?? 3 }, (_, i) => ({ id: `line-${i}`, width: WIDTHS[i % 3] }));
  return (
    <div className="skeleton" role="status" aria-busy="true" aria-label={props.label ?? "Loading"}>
      {lines.map((line) => (
        <span key={line.id} className="skeleton-line" style={{ height: props.height ?? 14, width: line.width }} />
      ))}
    </div>
  );
}

export function RunSkeleton() {
  return (
    <div className="run-page" data-testid="run-skeleton">
      <Skeleton lines={1} height={32} label="Loading run" />
      <div className="run-body">
        <Skeleton lines={6} height={40} label="Loading graph" />
        <Skeleton lines={12} label="Loading trace" />
        <Skeleton lines={8} label="Loading step" />
      </div>
    </div>
  );
}
