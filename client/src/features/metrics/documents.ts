/** The GraphQL operations of this feature, typed by codegen (`npx graphql-codegen`). */
import { graphql } from "../../graphql/index.ts";

export const WorkflowMetricsQuery = graphql(`
  query WorkflowMetrics($id: ID!, $range: MetricsRange!) {
    workflow(id: $id) {
      id
      name
      metrics(range: $range) {
        range
        bucket
        from
        to
        totals {
          runs
          succeeded
          failed
          p50LatencyMs
          p95LatencyMs
          costCents
          unpricedSteps
          llmSteps
          cacheHits
          cacheHitRate
          savedCents
          unpricedSavings
          executedSteps
          stepsWithRetries
          retryRate
          executedLlmSteps
          stepsWithFallbacks
          fallbackRate
        }
        series {
          start
          runs
          succeeded
          failed
          canceled
          active
          p50LatencyMs
          p95LatencyMs
        }
        costByModel {
          start
          model
          costCents
          steps
          unpricedSteps
        }
        nodes {
          nodeId
          nodeType
          runs
          failures
          failureRate
          p95LatencyMs
          meanCostCents
          pricedRuns
          slowestRunId
          mostExpensiveRunId
        }
      }
    }
  }
`);
