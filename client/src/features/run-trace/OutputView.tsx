/**
 * A step's output as a person reads it: text as sanitised Markdown (react-markdown renders no raw
 * HTML and drops unsafe link targets) with a Raw toggle, structures as a collapsible JSON tree
 * (react-json-view-lite), each with a copy button.
 */

import { darkStyles, defaultStyles, JsonView } from "react-json-view-lite";
import Markdown from "react-markdown";
import "react-json-view-lite/dist/index.css";
import { useState } from "react";
import { CopyButton } from "../../components/CopyButton.tsx";
import { ScrollArea } from "../../components/ScrollArea.tsx";

const asText = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v, null, 2));
const prefersDark = () => window.matchMedia?.("(prefers-color-scheme: dark)").matches === true;

export function OutputView(props: { value: unknown; testId: string; label: string }) {
  const [raw, setRaw] = useState(false);
  const isText = typeof props.value === "string";
  const structured = props.value !== null && typeof props.value === "object";
  const title = props.label.charAt(0).toUpperCase() + props.label.slice(1);
  return (
    <div className="output-view">
      <div className="output-tools">
        {(isText || structured) && (
          <button type="button" className="link" aria-pressed={raw} onClick={() => setRaw(!raw)}>
            {raw ? (isText ? "Rendered" : "Tree") : "Raw"}
          </button>
        )}
        <CopyButton text={() => asText(props.value)} label={`Copy ${props.label}`} />
      </div>
      {raw || (!isText && !structured) ? (
        <ScrollArea label={title} testId={props.testId}>
          {asText(props.value)}
        </ScrollArea>
      ) : isText ? (
        <ScrollArea as="div" label={title} className="markdown" testId={props.testId}>
          <Markdown>{props.value as string}</Markdown>
        </ScrollArea>
      ) : (
        <ScrollArea as="div" label={title} className="json-tree" testId={props.testId}>
          <JsonView
            data={props.value as object}
            shouldExpandNode={(level) => level < 2}
            style={prefersDark() ? darkStyles : defaultStyles}
          />
        </ScrollArea>
      )}
    </div>
  );
}
