/* Generated from server/src/domain/diff-contract.ts by `npm run schema:print`. Do not edit. */

export interface Diffs {
  RunDiff: {
    steps: {
      nodeId: string;
      /**
       * added: only in this run; removed: only in the other.
       */
      presence: "both" | "added" | "removed";
      /**
       * [against, this run]
       *
       * @minItems 2
       * @maxItems 2
       */
      status: [string | null, string | null];
      outputChanged: boolean;
      outputDiff:
        | (
            | {
                kind: "text";
                lines: {
                  op: "same" | "added" | "removed";
                  /**
                   * One or more whole lines.
                   */
                  text: string;
                }[];
              }
            | {
                kind: "json";
                changes: {
                  /**
                   * Where the value changed; empty for the whole value.
                   */
                  path: string;
                  /**
                   * The value before (absent when the path is new).
                   */
                  old?: unknown;
                  /**
                   * The value now (absent when the path is gone).
                   */
                  new?: unknown;
                }[];
              }
          )
        | null;
      configChanged: boolean;
      configDiff: {
        /**
         * Where the value changed; empty for the whole value.
         */
        path: string;
        /**
         * The value before (absent when the path is new).
         */
        old?: unknown;
        /**
         * The value now (absent when the path is gone).
         */
        new?: unknown;
      }[];
      /**
       * [against, this run]
       *
       * @minItems 2
       * @maxItems 2
       */
      branch: [unknown, unknown];
      /**
       * [against, this run]
       *
       * @minItems 2
       * @maxItems 2
       */
      tokens: [number | null, number | null];
      /**
       * [against, this run]
       *
       * @minItems 2
       * @maxItems 2
       */
      costCents: [string | null, string | null];
      /**
       * [against, this run]
       *
       * @minItems 2
       * @maxItems 2
       */
      latencyMs: [number | null, number | null];
      /**
       * [against, this run]
       *
       * @minItems 2
       * @maxItems 2
       */
      reused: [boolean | null, boolean | null];
    }[];
    totals: {
      /**
       * [against, this run]
       *
       * @minItems 2
       * @maxItems 2
       */
      status: [string, string];
      /**
       * [against, this run]
       *
       * @minItems 2
       * @maxItems 2
       */
      tokens: [number, number];
      /**
       * [against, this run]
       *
       * @minItems 2
       * @maxItems 2
       */
      costCents: [string, string];
      /**
       * [against, this run]
       *
       * @minItems 2
       * @maxItems 2
       */
      costComplete: [boolean, boolean];
      /**
       * [against, this run]
       *
       * @minItems 2
       * @maxItems 2
       */
      latencyMs: [number, number];
    };
  };
  WorkflowDiff: {
    nodes: {
      added: {
        id: string;
        [k: string]: unknown;
      }[];
      removed: {
        id: string;
        [k: string]: unknown;
      }[];
      changed: {
        id: string;
        changes: {
          /**
           * Where the value changed; empty for the whole value.
           */
          path: string;
          /**
           * The value before (absent when the path is new).
           */
          old?: unknown;
          /**
           * The value now (absent when the path is gone).
           */
          new?: unknown;
        }[];
      }[];
    };
    edges: {
      added: {
        from: string;
        to: string;
        when?: string;
      }[];
      removed: {
        from: string;
        to: string;
        when?: string;
      }[];
    };
    settings: {
      /**
       * Where the value changed; empty for the whole value.
       */
      path: string;
      /**
       * The value before (absent when the path is new).
       */
      old?: unknown;
      /**
       * The value now (absent when the path is gone).
       */
      new?: unknown;
    }[];
  };
}
