/* Generated from server/src/domain/eval/contract.ts by `npm run schema:print`. Do not edit. */

export interface Evals {
  Dataset: {
    id: string;
    name: string;
    description: string | null;
    item_count: number;
    created_at: string;
    updated_at: string;
  };
  DatasetItem: {
    id: string;
    position: number;
    input_vars: {
      [k: string]: unknown;
    };
    expected?: unknown;
    metadata: {
      [k: string]: unknown;
    } | null;
    source_run_id: string | null;
    created_at: string;
  };
  Experiment: {
    id: string;
    name: string;
    workflow_id: string;
    workflow_version: number;
    dataset_id: string | null;
    status: "queued" | "running" | "succeeded" | "failed" | "canceled";
    scorers: (
      | {
          type: "exact";
          value?: unknown;
          name?: string;
          node?: string;
        }
      | {
          type: "contains";
          value?: string;
          case_sensitive?: boolean;
          name?: string;
          node?: string;
        }
      | {
          type: "regex";
          value?: string;
          name?: string;
          node?: string;
        }
      | {
          type: "json_schema";
          schema: {
            [k: string]: unknown;
          };
          name?: string;
          node?: string;
        }
      | {
          type: "numeric";
          value?: number;
          tolerance?: number;
          name?: string;
          node?: string;
        }
      | {
          type: "cost_under";
          cents: number;
          name?: string;
          node?: string;
        }
      | {
          type: "latency_under";
          ms: number;
          name?: string;
          node?: string;
        }
      | {
          type: "llm_judge";
          rubric: string;
          provider?: string;
          model?: string;
          threshold?: number;
          name?: string;
          node?: string;
        }
    )[];
    concurrency: number;
    error_summary: string | null;
    created_at: string;
    started_at: string | null;
    finished_at: string | null;
    summary: {
      items: number;
      scored: number;
      passed: number;
      /**
       * passed / scored; null before any item is scored.
       */
      pass_rate: number | null;
      /**
       * Each scorer's mean score over the scored items.
       */
      scores: {
        [k: string]: number;
      };
      /**
       * Exact decimal US cents.
       */
      total_cost_cents: string;
      /**
       * false: a run had an unpriced step, total_cost_cents is a lower bound.
       */
      cost_complete: boolean;
      total_tokens: number;
      p50_latency_ms: number | null;
      p95_latency_ms: number | null;
      cache_hits: number;
      failed_runs: number;
      /**
       * Tokens the LLM judges used (not part of total_tokens).
       */
      judge_tokens: number;
      /**
       * What the LLM judges cost (not part of total_cost_cents).
       */
      judge_cost_cents: string;
      judge_cost_complete: boolean;
    };
  };
  ExperimentDetail: {
    id: string;
    name: string;
    workflow_id: string;
    workflow_version: number;
    dataset_id: string | null;
    status: "queued" | "running" | "succeeded" | "failed" | "canceled";
    scorers: (
      | {
          type: "exact";
          value?: unknown;
          name?: string;
          node?: string;
        }
      | {
          type: "contains";
          value?: string;
          case_sensitive?: boolean;
          name?: string;
          node?: string;
        }
      | {
          type: "regex";
          value?: string;
          name?: string;
          node?: string;
        }
      | {
          type: "json_schema";
          schema: {
            [k: string]: unknown;
          };
          name?: string;
          node?: string;
        }
      | {
          type: "numeric";
          value?: number;
          tolerance?: number;
          name?: string;
          node?: string;
        }
      | {
          type: "cost_under";
          cents: number;
          name?: string;
          node?: string;
        }
      | {
          type: "latency_under";
          ms: number;
          name?: string;
          node?: string;
        }
      | {
          type: "llm_judge";
          rubric: string;
          provider?: string;
          model?: string;
          threshold?: number;
          name?: string;
          node?: string;
        }
    )[];
    concurrency: number;
    error_summary: string | null;
    created_at: string;
    started_at: string | null;
    finished_at: string | null;
    summary: {
      items: number;
      scored: number;
      passed: number;
      /**
       * passed / scored; null before any item is scored.
       */
      pass_rate: number | null;
      /**
       * Each scorer's mean score over the scored items.
       */
      scores: {
        [k: string]: number;
      };
      /**
       * Exact decimal US cents.
       */
      total_cost_cents: string;
      /**
       * false: a run had an unpriced step, total_cost_cents is a lower bound.
       */
      cost_complete: boolean;
      total_tokens: number;
      p50_latency_ms: number | null;
      p95_latency_ms: number | null;
      cache_hits: number;
      failed_runs: number;
      /**
       * Tokens the LLM judges used (not part of total_tokens).
       */
      judge_tokens: number;
      /**
       * What the LLM judges cost (not part of total_cost_cents).
       */
      judge_cost_cents: string;
      judge_cost_complete: boolean;
    };
    items: {
      /**
       * The dataset item's id (how two experiments on one dataset are matched).
       */
      item_id: string;
      position: number;
      input_vars: {
        [k: string]: unknown;
      };
      expected?: unknown;
      run_id: string | null;
      /**
       * pending, canceled, or the run's status (queued, running, waiting, succeeded, failed, canceled).
       */
      status: string;
      scored: boolean;
      /**
       * null until scored.
       */
      passed: boolean | null;
      output?: unknown;
      scores: {
        scorer: string;
        pass: boolean;
        /**
         * 0..1
         */
        score: number;
        reason: string;
      }[];
      /**
       * null when the run's cost is unknown or it has not run.
       */
      cost_cents: string | null;
      cost_complete: boolean;
      /**
       * The run's active wall time (time waiting for approvals aside).
       */
      latency_ms: number | null;
      tokens: number;
      cache_hits: number;
      judge_tokens: number;
      /**
       * Exact decimal US cents.
       */
      judge_cost_cents: string;
      /**
       * false: a judge's model has no price, judge_cost_cents is a lower bound.
       */
      judge_cost_complete: boolean;
      error: string | null;
    }[];
  };
  ExperimentComparison: {
    experiment_id: string;
    against: string;
    items: {
      item_id: string;
      position: number;
      input_vars: {
        [k: string]: unknown;
      };
      /**
       * [against, this experiment]
       *
       * @minItems 2
       * @maxItems 2
       */
      passed: [boolean | null, boolean | null];
      change: "regression" | "fix" | "same" | "new" | "missing";
      score_deltas: {
        /**
         * this experiment minus the other; null when either is unknown
         */
        [k: string]: number | null;
      };
      output_changed: boolean;
      /**
       * [against, this experiment]
       *
       * @minItems 2
       * @maxItems 2
       */
      output: [unknown, unknown];
      cost_delta_cents: string | null;
      /**
       * this experiment minus the other; null when either is unknown
       */
      latency_delta_ms: number | null;
      /**
       * @minItems 2
       * @maxItems 2
       */
      run_ids: [string | null, string | null];
    }[];
    summary: {
      /**
       * @minItems 2
       * @maxItems 2
       */
      pass_rate: [number | null, number | null];
      /**
       * this experiment minus the other; null when either is unknown
       */
      pass_rate_delta: number | null;
      score_deltas: {
        /**
         * this experiment minus the other; null when either is unknown
         */
        [k: string]: number | null;
      };
      /**
       * Exact decimal US cents.
       */
      total_cost_delta_cents: string;
      /**
       * this experiment minus the other; null when either is unknown
       */
      p50_latency_delta_ms: number | null;
      /**
       * this experiment minus the other; null when either is unknown
       */
      p95_latency_delta_ms: number | null;
    };
    /**
     * item ids that passed before and fail now
     */
    regressions: string[];
    /**
     * item ids that failed before and pass now
     */
    fixes: string[];
  };
}
