/** Asks for a run's input variables (the names the document's templates use), then starts it. */
import { useState } from "react";
import { Modal } from "../../components/Modal.tsx";

export function RunDialog(props: {
  names: string[];
  onCancel: () => void;
  onRun: (vars: Record<string, string>) => void;
}) {
  const [vars, setVars] = useState<Record<string, string>>(() => Object.fromEntries(props.names.map((n) => [n, ""])));
  return (
    <Modal label="Run workflow" onClose={props.onCancel}>
      <form
        className="dialog-form"
        onSubmit={(e) => {
          e.preventDefault();
          props.onRun(vars);
        }}
      >
        <h2>Run workflow</h2>
        {props.names.length === 0 ? (
          <p className="muted">This workflow takes no input variables.</p>
        ) : (
          props.names.map((n) => (
            <div className="field" key={n}>
              <label htmlFor={`var-${n}`}>{n}</label>
              <input
                id={`var-${n}`}
                value={vars[n] ?? ""}
                onChange={(e) => setVars({ ...vars, [n]: e.target.value })}
              />
            </div>
          ))
        )}
        <div className="row">
          <button type="button" onClick={props.onCancel}>
            Cancel
          </button>
          <button type="submit" className="primary">
            Start run
          </button>
        </div>
      </form>
    </Modal>
  );
}
