/** The GraphQL operations of this feature, typed by codegen (`npx graphql-codegen`). */
import { graphql } from "../../graphql/index.ts";

export const CancelRunMutation = graphql(`
  mutation CancelRun($runId: ID!) {
    cancelRun(runId: $runId) {
      __typename
      ... on ConflictError {
        message
      }
    }
  }
`);

export const RunQuery = graphql(`
  query Run($id: ID!) {
    run(id: $id) {
      ...RunHeader_run
      errorSummary
      tracePrunedAt
      graphSnapshot
      workflow {
        id
        graphJson
      }
      steps {
        id
        nodeId
        nodeType
        status
        latencyMs
        tokensInput
        tokensOutput
        tokensReasoning
        usageSource
        costCents
        error
        reused
      }
    }
  }
`);

export const RerunRunMutation = graphql(`
  mutation RerunRun($runId: ID!, $fromNode: String!, $overrides: JSON) {
    rerunRun(runId: $runId, fromNode: $fromNode, overrides: $overrides) {
      __typename
      ... on Run {
        id
      }
      ... on NotFoundError {
        message
      }
      ... on ConflictError {
        message
      }
      ... on InvalidRequestError {
        message
      }
      ... on ValidationError {
        message
        issues {
          path
          message
        }
      }
    }
  }
`);

export const StepOutputQuery = graphql(`
  query StepOutput($id: ID!) {
    step(id: $id) {
      id
      output
    }
  }
`);

/** Typed like every other document; graphql-sse sends its printed text (`print`). */
export const RunEventsSubscription = graphql(`
  subscription RunEvents($runId: ID!, $afterSeq: Int) {
    runEvents(runId: $runId, afterSeq: $afterSeq) {
      seq
      kind
      ts
      stepId
      payload
    }
  }
`);
