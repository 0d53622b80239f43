export function StatusChip(props: { status: string; label?: string }) {
  return (
    <span className={`chip chip-${props.status}`} data-status={props.status}>
      {props.label ?? props.status}
    </span>
  );
}
