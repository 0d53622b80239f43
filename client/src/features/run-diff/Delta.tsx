/** A figure of two runs: one value when equal, else "before → after" coloured by which is better. */
import { type Pair, trend } from "./types.ts";

export function Delta<T extends number | string | null>(props: { pair: Pair<T>; show: (v: T) => string }) {
  const [a, b] = props.pair;
  const t = trend(props.pair);
  if (props.show(a) === props.show(b)) return <>{props.show(b)}</>;
  return (
    <span className={`delta delta-${t}`}>
      {props.show(a)} → {props.show(b)}
    </span>
  );
}
