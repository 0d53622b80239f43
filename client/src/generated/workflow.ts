/* Generated from server/src/domain/workflow/schema.ts by `npm run schema:print`. Do not edit. */

export type _Schema0 =
  | string
  | number
  | boolean
  | null
  | _Schema0[]
  | {
      [k: string]: _Schema0;
    };
export type _Schema1 =
  | string
  | number
  | boolean
  | null
  | _Schema1[]
  | {
      [k: string]: _Schema1;
    };

export interface WorkflowDocument {
  $schema?: string;
  version: "1";
  entry: string;
  /**
   * @minItems 1
   */
  nodes: (
    | {
        id: string;
        type: "llm";
        name: string;
        config: {
          /**
           * openai, anthropic, or a configured OpenAI-compatible provider name.
           */
          provider: string;
          model: string;
          system?: string;
          /**
           * Template; defaults to the node's rendered inputs.
           */
          prompt?: string;
          temperature?: number;
          maxTokens?: number;
          timeoutMs?: number;
          retry?: {
            /**
             * Retries after the first attempt for transient errors.
             */
            attempts: number;
            backoffBaseMs?: number;
            backoffMaxMs?: number;
          };
          /**
           * @maxItems 5
           */
          fallbacks?: {
            provider: string;
            model: string;
          }[];
          /**
           * Exact-match cache; on unless false.
           */
          cache?:
            | boolean
            | {
                enabled?: boolean;
                ttlSeconds?: number;
              };
          /**
           * Demo only: a fault the built-in simulator injects (e.g. status=500;count=2); real providers never see it.
           */
          fault?: string;
        };
        inputs?: {
          [k: string]: _Schema0;
        };
        /**
         * Editor layout only.
         */
        position?: {
          x: number;
          y: number;
        };
      }
    | {
        id: string;
        type: "tool";
        name: string;
        config: {
          [k: string]: _Schema1;
        };
        inputs?: {
          [k: string]: _Schema0;
        };
        /**
         * Editor layout only.
         */
        position?: {
          x: number;
          y: number;
        };
      }
    | {
        id: string;
        type: "router";
        name: string;
        config: {
          rule: string;
        };
        inputs?: {
          [k: string]: _Schema0;
        };
        /**
         * Editor layout only.
         */
        position?: {
          x: number;
          y: number;
        };
      }
    | {
        id: string;
        type: "approval";
        name: string;
        config: {
          /**
           * Template shown to the approver, rendered with the node's inputs.
           */
          message: string;
          /**
           * How long the approval may wait; no deadline when omitted.
           */
          timeoutSeconds?: number;
          /**
           * What the deadline decides: "fail" (default) fails the step, "approve" or "reject" decide it.
           */
          onTimeout?: "reject" | "approve" | "fail";
        };
        inputs?: {
          [k: string]: _Schema0;
        };
        /**
         * Editor layout only.
         */
        position?: {
          x: number;
          y: number;
        };
      }
  )[];
  edges?: {
    from: string;
    to: string;
    when?: string;
  }[];
  limits?: {
    maxNodes?: number;
    maxTokens?: number;
    timeoutSeconds?: number;
    /**
     * Hard per-run budget in US cents.
     */
    maxCostCents?: number;
  };
  /**
   * Run nodes of the same level concurrently.
   */
  parallel?: boolean;
}
