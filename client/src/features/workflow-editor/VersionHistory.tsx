/** The editor's History tab: every version with its message, the diff between any two, restore. */

import type { WorkflowDiff } from "@flowtrace/contract/diffs";
import { useState } from "react";
import { useMutation, useQuery } from "urql";
import { Skeleton } from "../../components/Skeleton.tsx";
import { describeError } from "../../lib/errors.ts";
import { RestoreWorkflowVersionMutation, WorkflowVersionDiffQuery, WorkflowVersionsQuery } from "./documents.ts";
import type { WorkflowDoc } from "./graph.ts";

/** GraphQL `Workflow.versionDiff` (a JSON field), typed from the server's diff contract. */

const show = (v: unknown) => (v === undefined ? "(not set)" : typeof v === "string" ? v : JSON.stringify(v));

function VersionDiffView(props: { workflowId: string; from: number; to: number }) {
  const [{ data, fetching, error }] = useQuery({
    query: WorkflowVersionDiffQuery,
    variables: { id: props.workflowId, from: props.from, to: props.to },
  });
  if (fetching && !data) return <p className="muted">Comparing…</p>;
  if (error) return <p className="error">Could not compare the versions: {describeError(error)}</p>;
  const d = data?.workflow?.versionDiff as WorkflowDiff | null | undefined;
  if (!d) return <p className="error">One of these versions does not exist.</p>;
  const items = [
    ...d.nodes.added.map((n) => `+ node ${n.id}`),
    ...d.nodes.removed.map((n) => `− node ${n.id}`),
    ...d.nodes.changed.flatMap((n) => n.changes.map((c) => `~ ${n.id}.${c.path}: ${show(c.old)} → ${show(c.new)}`)),
    ...d.edges.added.map((e) => `+ edge ${e.from} → ${e.to}`),
    ...d.edges.removed.map((e) => `− edge ${e.from} → ${e.to}`),
    ...d.settings.map((c) => `~ ${c.path}: ${show(c.old)} → ${show(c.new)}`),
  ];
  return (
    <section aria-label={`Changes from version ${props.from} to ${props.to}`} data-testid="version-diff">
      <h3>
        Version {props.from} → {props.to}
      </h3>
      {items.length === 0 ? (
        <p className="muted">The two versions are the same document.</p>
      ) : (
        <ul className="path-diff">
          {items.map((t) => (
            <li key={t}>
              <code>{t}</code>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function CompareSelect(props: {
  versions: number[];
  value: { from: number; to: number };
  onChange: (v: { from: number; to: number }) => void;
}) {
  const select = (key: "from" | "to", label: string) => (
    <label>
      {label}{" "}
      <select
        value={props.value[key]}
        onChange={(e) => props.onChange({ ...props.value, [key]: Number(e.target.value) })}
      >
        {props.versions.map((v) => (
          <option key={v} value={v}>
            version {v}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <div className="row">
      {select("from", "Compare")} {select("to", "with")}
    </div>
  );
}

function VersionTable(props: {
  versions: { version: number; message?: string | null; createdAt: string }[];
  current: number;
  onCompare: (version: number) => void;
  onRestore: (version: number) => void;
}) {
  return (
    <table className="table" aria-label="Versions">
      <thead>
        <tr>
          <th>Version</th>
          <th>Saved</th>
          <th>Message</th>
          <th>
            <span className="sr-only">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {props.versions.map((v) => (
          <tr key={v.version}>
            <td>
              {v.version}
              {v.version === props.current && <span className="chip">current</span>}
            </td>
            <td>{new Date(v.createdAt).toLocaleString()}</td>
            <td>{v.message ?? <span className="muted">—</span>}</td>
            <td>
              {v.version > 1 && (
                <button type="button" className="link" onClick={() => props.onCompare(v.version)}>
                  Changes
                </button>
              )}{" "}
              {v.version !== props.current && (
                <button type="button" className="link" onClick={() => props.onRestore(v.version)}>
                  Restore version {v.version}
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function VersionHistory(props: {
  workflowId: string | null;
  dirty: boolean;
  onRestored: (version: number, doc: WorkflowDoc) => void;
}) {
  const [{ data, fetching, error }] = useQuery({
    query: WorkflowVersionsQuery,
    variables: { id: props.workflowId ?? "" },
    pause: !props.workflowId,
    requestPolicy: "cache-and-network",
  });
  const [compare, setCompare] = useState<{ from: number; to: number } | null>(null);
  const [, restore] = useMutation(RestoreWorkflowVersionMutation);
  const [message, setMessage] = useState<string | null>(null);
  if (!props.workflowId) return <p className="muted empty">Save the workflow to start its history.</p>;
  if (fetching && !data) return <Skeleton label="Loading history" lines={6} />;
  if (error) return <p className="error">Could not load the history: {describeError(error)}</p>;
  const wf = data?.workflow;
  if (!wf) return <p className="error">This workflow does not exist.</p>;
  const onRestore = async (version: number) => {
    if (props.dirty && !window.confirm(`Discard your unsaved changes and restore version ${version}?`)) return;
    const r = await restore({ id: wf.id, version });
    const out = r.data?.restoreWorkflowVersion;
    if (out?.__typename === "Workflow") props.onRestored(out.currentVersion, out.graphJson as WorkflowDoc);
    else setMessage(r.error?.message ?? "Could not restore that version");
  };
  return (
    <div className="version-history" data-testid="version-history">
      <VersionTable
        versions={wf.versions}
        current={wf.currentVersion}
        onCompare={(v) => setCompare({ from: v - 1, to: v })}
        onRestore={onRestore}
      />
      {message && (
        <p className="error" role="alert">
          {message}
        </p>
      )}
      {compare && (
        <>
          <CompareSelect
            versions={wf.versions.map((v) => v.version)}
            value={compare}
            onChange={(next) => setCompare(next)}
          />
          <VersionDiffView workflowId={wf.id} from={compare.from} to={compare.to} />
        </>
      )}
    </div>
  );
}
