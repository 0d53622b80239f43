/** Loading placeholders shaped like what will appear, instead of blank panes. */
export function Skeleton(props: { lines?: number; height?: number; label?: string }) {
  return (
    <div className="skeleton" role="status" aria-busy="true" aria-label={props.label ?? "Loading"}>
      {Array.from({ length: props.lines ?? 3 }, (_, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: fixed placeholder lines
        <span
          key={i}
          className="skeleton-line"
          style={{ height: props.height ?? 14, width: `${90 - (i % 3) * 15}%` }}
        />
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
